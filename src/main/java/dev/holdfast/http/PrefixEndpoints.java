package dev.holdfast.http;

import dev.holdfast.run.Run;
import dev.holdfast.site.Budget;
import dev.holdfast.site.Prefix;
import dev.holdfast.site.Site;
import dev.holdfast.site.Sites;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The prefixes API: {@code GET /api/v1/prefixes} shows every prefix with its sites (which announce
 * it now, which hold a withdrawal slot), its budget, whether planned work on it is halted and which
 * local runs wait for it; {@code POST /api/v1/prefixes/resume?prefix=} lets halted planned work go
 * on.
 */
record PrefixEndpoints(HttpApi.Runs runs, Credentials credentials) {

  /** One prefix as shown. */
  record PrefixView(
      String prefix,
      Budget budget,
      List<SiteView> sites,
      int announcing,
      String halted,
      List<WaitingView> waiting) {}

  record SiteView(String site, String state, boolean slot) {}

  record WaitingView(String run, String group, String reason) {}

  record Body(List<PrefixView> prefixes, String problem) {}

  void list(Context ctx) {
    credentials.api(ctx, Credentials.Guarded.READS);
    ctx.json(view());
  }

  Body view() {
    Sites sites = runs.sites().sites();
    Map<Prefix, List<Site>> all = new TreeMap<>(Comparator.comparing(Prefix::text));
    all.putAll(sites.view());
    Map<Prefix, String> halts = sites.halts();
    halts.keySet().forEach(p -> all.putIfAbsent(p, List.of()));
    Map<Prefix, List<WaitingView>> waiting = new LinkedHashMap<>();
    for (Run run : runs.coordinator().activeRuns()) {
      String why = run.waiting();
      if (why == null) {
        continue;
      }
      for (Prefix p : runs.groups().prefixes().known(run.group())) {
        waiting
            .computeIfAbsent(p, k -> new ArrayList<>())
            .add(new WaitingView(run.id(), run.group(), why));
      }
    }
    List<PrefixView> out = new ArrayList<>();
    all.forEach(
        (p, list) ->
            out.add(
                new PrefixView(
                    p.text(),
                    sites.budget(p),
                    list.stream()
                        .map(s -> new SiteView(s.id(), s.state().label(), s.holdsSlot()))
                        .toList(),
                    (int)
                        list.stream()
                            .filter(s -> s.state() == dev.holdfast.site.SiteState.ANNOUNCING)
                            .count(),
                    halts.get(p),
                    waiting.getOrDefault(p, List.of()))));
    return new Body(out, sites.problem().orElse(null));
  }

  /**
   * 200 {@code {"site": ...}}: a site that is gone for good (its group decommissioned here or on a
   * host whose holdfast is gone) stops counting as a site of its prefixes. Until then it counts as
   * away, and with two sites the other one is the last announcing and waits for it.
   */
  void forget(Context ctx) {
    credentials.api(ctx, Credentials.Guarded.RUNS);
    String site = ctx.queryParam("site");
    if (site == null
        || !site.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}/[A-Za-z0-9][A-Za-z0-9._-]{0,254}")) {
      throw new ApiException(400, "site: <instance>/<group> expected");
    }
    try {
      runs.sites().sites().forget(site);
    } catch (IllegalStateException e) {
      throw new ApiException(503, "cannot forget " + site + " now: " + e.getMessage());
    }
    ctx.json(Map.of("site", site, "forgotten", true));
  }

  /** 200 {@code {"prefix":..., "resumed": true|false}}; 400 when the parameter is no prefix. */
  void resume(Context ctx) {
    credentials.api(ctx, Credentials.Guarded.RUNS);
    String text = ctx.queryParam("prefix");
    Prefix p;
    try {
      p = Prefix.parse(text == null ? "" : text);
    } catch (IllegalArgumentException e) {
      throw new ApiException(400, "prefix: " + e.getMessage());
    }
    boolean resumed;
    try {
      resumed = runs.sites().sites().resume(p);
    } catch (IllegalStateException e) {
      // etcd did not answer: the prefix may still be halted, so say so rather than "not halted"
      throw new ApiException(503, "cannot resume " + p + " now: " + e.getMessage());
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("prefix", p.text());
    body.put("resumed", resumed);
    ctx.json(body);
  }
}
