package dev.holdfast.route;

import dev.holdfast.engine.ContainerView;
import dev.holdfast.engine.Engine;
import dev.holdfast.engine.EngineException;
import dev.holdfast.engine.ExecResult;
import dev.holdfast.plan.RouteSpec;
import dev.holdfast.site.Prefix;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * BIRD-native route control: the sessions stay up and only the anycast protocols are disabled, with
 * birdc run inside the router container. A withdrawal counts only once it is proven: the protocols
 * are down and their prefixes are gone from what the router exports to its peers.
 */
public final class BirdRouteControl implements RouteControl {

  private static final Duration EXEC_TIMEOUT = Duration.ofSeconds(10);

  /** How many times a proof is tried (BIRD takes a moment to flush a disabled protocol). */
  private static final int PROOF_ATTEMPTS = 25;

  private final Engine engine;
  private final Pause pause;

  /** Waits between proof attempts; injected so that the route package never sleeps itself. */
  @FunctionalInterface
  public interface Pause {
    void pause(Duration d) throws InterruptedException;
  }

  public BirdRouteControl(Engine engine, Pause pause) {
    this.engine = engine;
    this.pause = pause;
  }

  @Override
  public String strategy() {
    return "bird";
  }

  @Override
  public void withdraw(ContainerView router, RouteSpec spec) {
    Set<String> prefixes = new HashSet<>();
    for (String p : spec.protocols()) {
      prefixes.addAll(birdc(router, spec, "show", "route", "protocol", p).prefixes());
    }
    for (String p : spec.protocols()) {
      BirdReply r = birdc(router, spec, "disable", p);
      if (!r.has(8) && !r.has(9)) {
        throw new RouteException(
            "birdc disable " + p + " in " + router.name() + ": " + r.summary());
      }
    }
    prove(router, spec, "withdrawal", () -> withdrawn(router, spec, prefixes));
  }

  @Override
  public void announce(ContainerView router, RouteSpec spec) {
    for (String p : spec.protocols()) {
      BirdReply r = birdc(router, spec, "enable", p);
      if (!r.has(10) && !r.has(11)) {
        throw new RouteException("birdc enable " + p + " in " + router.name() + ": " + r.summary());
      }
    }
    prove(router, spec, "announcement", () -> states(router, spec, "up"));
  }

  /**
   * Checks that the router's BIRD answers and knows every protocol; the reason when not. Run before
   * any run starts, so bad labels never stop an app.
   */
  @Override
  public Optional<String> check(ContainerView router, RouteSpec spec) {
    try {
      List<String> known =
          birdc(router, spec, "show", "protocols").protocols().stream()
              .map(BirdReply.Protocol::name)
              .toList();
      List<String> missing = new ArrayList<>();
      for (String p : spec.protocols()) {
        if (!known.contains(p)) {
          missing.add(p);
        }
      }
      for (String p : spec.peers()) {
        if (!known.contains(p)) {
          missing.add(p);
        }
      }
      return missing.isEmpty()
          ? Optional.empty()
          : Optional.of(
              router.name()
                  + ": BIRD has no protocol "
                  + String.join(", ", missing)
                  + " (it has "
                  + String.join(", ", known)
                  + ")");
    } catch (RouteException e) {
      return Optional.of(e.getMessage());
    }
  }

  /**
   * Whether the router announces now: true when every anycast protocol is up, false when every one
   * is down, empty when they disagree or are in transition.
   */
  public Optional<Boolean> announcing(ContainerView router, RouteSpec spec) {
    if (states(router, spec, "up").isEmpty()) {
      return Optional.of(true);
    }
    if (states(router, spec, "down").isEmpty()) {
      return Optional.of(false);
    }
    return Optional.empty();
  }

  @Override
  public Set<Prefix> prefixes(ContainerView router, RouteSpec spec) {
    Set<Prefix> out = new java.util.TreeSet<>(java.util.Comparator.comparing(Prefix::text));
    for (String p : spec.protocols()) {
      for (String prefix : birdc(router, spec, "show", "route", "protocol", p).prefixes()) {
        try {
          out.add(Prefix.parse(prefix));
        } catch (IllegalArgumentException e) {
          // BIRD prints more than IP prefixes (flowspec, VPN routes): none of them is anycast here
        }
      }
    }
    return out;
  }

  /**
   * With peers named: every peer's session is up and exports every prefix. Without: the anycast
   * protocols are up and originate them.
   */
  @Override
  public Optional<String> notExported(
      ContainerView router, RouteSpec spec, java.util.Collection<Prefix> prefixes) {
    Optional<String> up = states(router, spec, "up");
    if (up.isPresent()) {
      return up;
    }
    List<String> missing = new ArrayList<>();
    if (spec.peers().isEmpty()) {
      Set<Prefix> have = prefixes(router, spec);
      prefixes.stream().filter(p -> !have.contains(p)).forEach(p -> missing.add(p.text()));
    } else {
      List<BirdReply.Protocol> all = birdc(router, spec, "show", "protocols").protocols();
      for (String peer : spec.peers()) {
        boolean sessionUp =
            all.stream().anyMatch(r -> r.name().equals(peer) && r.state().equals("up"));
        if (!sessionUp) {
          missing.add("the session " + peer + " is not up");
          continue;
        }
        Set<Prefix> exported = new HashSet<>();
        for (String prefix : birdc(router, spec, "show", "route", "export", peer).prefixes()) {
          try {
            exported.add(Prefix.parse(prefix));
          } catch (IllegalArgumentException e) {
            // not an IP prefix (see prefixes)
          }
        }
        prefixes.stream()
            .filter(p -> !exported.contains(p))
            .forEach(p -> missing.add(p.text() + " to " + peer));
      }
    }
    return missing.isEmpty()
        ? Optional.empty()
        : Optional.of("not exported yet: " + String.join(", ", missing));
  }

  /** Why the router does not yet show the state, or empty when it does. */
  private Optional<String> withdrawn(ContainerView router, RouteSpec spec, Set<String> prefixes) {
    Optional<String> down = states(router, spec, "down");
    if (down.isPresent()) {
      return down;
    }
    List<String> left = new ArrayList<>();
    if (spec.peers().isEmpty()) {
      for (String p : spec.protocols()) {
        left.addAll(birdc(router, spec, "show", "route", "protocol", p).prefixes());
      }
    } else {
      List<BirdReply.Protocol> all = birdc(router, spec, "show", "protocols").protocols();
      for (String peer : spec.peers()) {
        boolean up = all.stream().anyMatch(r -> r.name().equals(peer) && r.state().equals("up"));
        if (!up) {
          continue; // a session that is down exports nothing (BIRD answers "No valid tables")
        }
        for (String prefix : birdc(router, spec, "show", "route", "export", peer).prefixes()) {
          if (prefixes.contains(prefix)) {
            left.add(prefix + " to " + peer);
          }
        }
      }
    }
    return left.isEmpty()
        ? Optional.empty()
        : Optional.of("still exported: " + String.join(", ", left));
  }

  private Optional<String> states(ContainerView router, RouteSpec spec, String wanted) {
    List<BirdReply.Protocol> all = birdc(router, spec, "show", "protocols").protocols();
    for (String p : spec.protocols()) {
      Optional<BirdReply.Protocol> row = all.stream().filter(r -> r.name().equals(p)).findFirst();
      if (row.isEmpty()) {
        throw new RouteException(router.name() + ": BIRD has no protocol " + p);
      }
      if (!row.get().state().equals(wanted)) {
        return Optional.of(p + " is " + row.get().state() + ", not " + wanted);
      }
    }
    return Optional.empty();
  }

  private interface Proof {
    Optional<String> why();
  }

  private void prove(ContainerView router, RouteSpec spec, String what, Proof proof) {
    String last = "";
    for (int i = 0; i < PROOF_ATTEMPTS; i++) {
      Optional<String> why = proof.why();
      if (why.isEmpty()) {
        return;
      }
      last = why.get();
      try {
        pause.pause(Duration.ofMillis(200));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RouteException(what + " in " + router.name() + " interrupted");
      }
    }
    throw new RouteException(what + " in " + router.name() + " not proven: " + last);
  }

  /** Runs birdc -v in the router; tries the fallback socket when the default one is absent. */
  BirdReply birdc(ContainerView router, RouteSpec spec, String... command) {
    List<String> sockets =
        spec.socket().isPresent()
            ? List.of(spec.socket().get())
            : List.of(RouteSpec.DEFAULT_SOCKET, RouteSpec.FALLBACK_SOCKET);
    BirdReply reply = null;
    for (String socket : sockets) {
      List<String> argv = new ArrayList<>(List.of("birdc", "-v", "-s", socket));
      argv.addAll(List.of(command));
      ExecResult r;
      try {
        r = engine.exec(router.id(), argv, EXEC_TIMEOUT);
      } catch (EngineException e) {
        throw new RouteException(router.name() + ": cannot run birdc: " + e.getMessage());
      }
      reply = BirdReply.parse(r.output());
      if (r.exitCode() == 126
          || r.exitCode() == 127
          || r.output().contains("executable file not found")) {
        throw new RouteException(
            router.name() + ": birdc is not in the router's image (" + r.output().trim() + ")");
      }
      boolean noSocket = reply.summary().contains("Unable to connect");
      if (!noSocket) {
        Optional<BirdReply.Line> error = reply.error();
        // "show route" of an empty table answers 8001 Network not found: an empty list, not an
        // error
        if (error.isPresent() && error.get().code() != 8001) {
          throw new RouteException(
              router.name()
                  + ": birdc "
                  + String.join(" ", command)
                  + ": "
                  + error.get().code()
                  + " "
                  + error.get().text());
        }
        return reply;
      }
    }
    throw new RouteException(
        router.name() + ": no BIRD control socket answers at " + String.join(" or ", sockets));
  }
}
