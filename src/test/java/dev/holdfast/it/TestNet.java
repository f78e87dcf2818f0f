package dev.holdfast.it;

import dev.holdfast.testing.Cmd;
import dev.holdfast.testing.Docker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * An {@code --internal} Docker network on a free /28 slice of the documentation ranges (RFC 5737),
 * so test classes, and other users of either engine, never collide. 192.0.2.48/28 is skipped: it
 * holds the anycast prefix 192.0.2.53/32.
 *
 * <p>On {@link Docker#SID} (no iptables rules of its own, see {@link Docker}) the network's bridge
 * has a name of its own and a DOCKER-USER ACCEPT rule for traffic within it, so that its containers
 * reach each other; {@link #remove()} deletes the rule with the network. The rule carries a comment
 * with this JVM's pid: {@link #removeStaleRules()} removes what a killed JVM left.
 */
final class TestNet {

  private static final String BRIDGE_OPTION = "com.docker.network.bridge.name=";
  private static final Duration IPTABLES = Duration.ofSeconds(10);
  private static final java.util.regex.Pattern RULE_MARK =
      java.util.regex.Pattern.compile("hfit-(?:net|fleet):[^:\\s\"]+:(\\d+)");

  final Docker engine;
  final String name;
  final String subnet;
  private final long base;

  /** The DOCKER-USER rule (without the chain) that lets the bridge forward; null: none added. */
  private List<String> rule;

  private TestNet(Docker engine, String name, String subnet) {
    this.engine = engine;
    this.name = name;
    this.subnet = subnet;
    this.base = parse(subnet)[0];
  }

  /** The address base+offset of the subnet, e.g. host(10). */
  String host(int offset) {
    long a = base + offset;
    return (a >> 24 & 255) + "." + (a >> 16 & 255) + "." + (a >> 8 & 255) + "." + (a & 255);
  }

  /** {@link #create(Docker, String, List)} on the engine the tests' holdfast manages. */
  static TestNet create(String name, List<String> args) {
    return create(Docker.local(), name, args);
  }

  /**
   * Creates the network on {@code engine}, on the first candidate slice that overlaps no network of
   * either engine and no host route; {@code args} are more {@code network create} options (labels,
   * a bridge name). On sid's engine it also lets the bridge forward (see the class comment).
   */
  static TestNet create(Docker engine, String name, List<String> args) {
    List<String> more = new ArrayList<>(args);
    String bridge = bridgeName(more);
    if (engine.equals(Docker.SID) && bridge == null) {
      bridge = "hfn" + Integer.toHexString(name.hashCode() ^ (int) ProcessHandle.current().pid());
      more.addAll(List.of("-o", BRIDGE_OPTION + bridge));
    }
    if (engine.equals(Docker.SID)) {
      removeStaleRules();
    }
    List<String> taken = existingSubnets();
    List<String> tried = new ArrayList<>();
    for (String candidate : candidates()) {
      if (taken.stream().anyMatch(t -> overlaps(t, candidate))) {
        continue;
      }
      List<String> cmd = new ArrayList<>(List.of("network", "create", "--internal"));
      cmd.addAll(List.of("--subnet", candidate));
      cmd.addAll(more);
      cmd.add(name);
      Cmd.Result r = engine.run(cmd.toArray(String[]::new));
      if (r.ok()) {
        TestNet net = new TestNet(engine, name, candidate);
        if (engine.equals(Docker.SID)) {
          net.allowForwarding(bridge);
        }
        return net;
      }
      tried.add(candidate + ": " + r.err().strip());
      if (tried.size() >= 5) {
        break; // a few races with other users are plausible; more means something else is wrong
      }
    }
    throw new AssertionError(
        "no free documentation subnet for network " + name + "; taken " + taken + "; " + tried);
  }

  /** The bridge name among {@code network create} options, or null. */
  private static String bridgeName(List<String> args) {
    for (String a : args) {
      if (a.startsWith(BRIDGE_OPTION)) {
        return a.substring(BRIDGE_OPTION.length());
      }
    }
    return null;
  }

  private void allowForwarding(String bridge) {
    List<String> r =
        List.of(
            "-i",
            bridge,
            "-o",
            bridge,
            "-m",
            "comment",
            "--comment",
            "hfit-net:" + bridge + ":" + ProcessHandle.current().pid(),
            "-j",
            "ACCEPT");
    List<String> insert = new ArrayList<>(List.of("iptables", "-I", "DOCKER-USER"));
    insert.addAll(r);
    Cmd.Result res = Cmd.run(IPTABLES, insert);
    if (!res.ok()) {
      engine.run("network", "rm", name);
      throw new AssertionError("cannot let bridge " + bridge + " forward: " + res.describe());
    }
    rule = r;
  }

  /**
   * Removes the network (its containers must be gone; one already removed is no error) and the rule
   * it added, if any. Safe to call again.
   */
  void remove() {
    try {
      engine.run("network", "rm", name);
    } finally {
      if (rule != null) {
        List<String> delete = new ArrayList<>(List.of("iptables", "-D", "DOCKER-USER"));
        delete.addAll(rule);
        Cmd.Result res = Cmd.run(IPTABLES, delete);
        rule = null;
        if (!res.ok()) {
          throw new AssertionError(
              "cannot remove the DOCKER-USER rule of " + name + ": " + res.describe());
        }
      }
    }
  }

  /**
   * Removes DOCKER-USER rules whose comment ({@code hfit-net:<bridge>:<pid>} here, {@code
   * hfit-fleet:<session>:<pid>} from {@link SiteFleet}) names a JVM that is gone (killed before its
   * clean-up).
   */
  static void removeStaleRules() {
    Cmd.Result chain = Cmd.run(IPTABLES, "iptables", "-S", "DOCKER-USER");
    if (!chain.ok()) {
      return; // no such chain: nothing was added either
    }
    for (List<String> delete :
        staleRuleDeletes(chain.out(), p -> ProcessHandle.of(p).isPresent())) {
      Cmd.run(IPTABLES, delete);
    }
  }

  /**
   * The {@code iptables -D} commands for the lines of an {@code iptables -S DOCKER-USER} listing
   * that carry a test mark ({@code hfit-net:} or {@code hfit-fleet:}) whose pid is not {@code
   * alive}.
   */
  static List<List<String>> staleRuleDeletes(
      String listing, java.util.function.LongPredicate alive) {
    List<List<String>> out = new ArrayList<>();
    for (String line : listing.split("\n")) {
      java.util.regex.Matcher m = RULE_MARK.matcher(line);
      if (!line.startsWith("-A DOCKER-USER ")
          || !m.find()
          || alive.test(Long.parseLong(m.group(1)))) {
        continue;
      }
      List<String> delete = new ArrayList<>(List.of("iptables", "-D"));
      for (String w : line.substring(3).split("\\s+")) {
        delete.add(w.replace("\"", ""));
      }
      out.add(delete);
    }
    return out;
  }

  static List<String> candidates() {
    List<String> out = new ArrayList<>();
    for (String net : List.of("203.0.113.", "192.0.2.", "198.51.100.")) {
      for (int i = 0; i < 256; i += 16) {
        if (!(net.equals("192.0.2.") && i == 48)) {
          out.add(net + i + "/28");
        }
      }
    }
    return out;
  }

  /**
   * What a test network must never cover besides other networks: the host's own addresses and
   * routes (on these machines the host itself sits in 192.0.2.0/24) and the addresses the host
   * reaches its package registries at (here an egress proxy in 203.0.113.0/24). A network over one
   * of them would take the host's traffic to it.
   */
  static List<String> hostTaken() {
    List<String> out = new ArrayList<>();
    try {
      Process p = new ProcessBuilder("ip", "-4", "-o", "route", "show").start();
      String routes = new String(p.getInputStream().readAllBytes());
      p.waitFor();
      for (String line : routes.split("\n")) {
        String[] f = line.trim().split("\s+");
        // docker's own bridges are covered by the network list; the default route is everything
        if (f.length > 0
            && f[0].contains("/")
            && !line.contains(" br-")
            && !line.contains("docker")) {
          out.add(f[0]);
        }
        for (int i = 0; i + 1 < f.length; i++) {
          if (f[i].equals("via") || f[i].equals("src")) {
            out.add(f[i + 1] + "/32");
          }
        }
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (String host : List.of("repo.maven.apache.org", "deb.debian.org", "registry.npmjs.org")) {
      try {
        for (java.net.InetAddress a : java.net.InetAddress.getAllByName(host)) {
          if (a instanceof java.net.Inet4Address) {
            out.add(a.getHostAddress() + "/32");
          }
        }
      } catch (java.net.UnknownHostException e) {
        // not resolvable here: nothing to keep clear of
      }
    }
    return out;
  }

  /**
   * The host's routes and the subnets of every network of both engines: a network on one engine
   * over a subnet of the other's would take that network's traffic on the host.
   */
  private static List<String> existingSubnets() {
    List<String> out = new ArrayList<>(hostTaken());
    for (Docker engine : List.of(Docker.BOOKWORM, Docker.SID, Docker.local())) {
      if (engine.equals(Docker.BOOKWORM) || engine.answers()) {
        out.addAll(subnets(engine));
      }
    }
    return out;
  }

  private static List<String> subnets(Docker engine) {
    List<String> out = new ArrayList<>();
    String ids = engine.ok("network", "ls", "-q");
    for (String id : ids.split("\\s+")) {
      if (id.isBlank()) {
        continue;
      }
      Cmd.Result r =
          engine.run("network", "inspect", "-f", "{{range .IPAM.Config}}{{.Subnet}} {{end}}", id);
      for (String s : r.out().split("\\s+")) {
        if (s.contains(".") && s.contains("/")) {
          out.add(s);
        }
      }
    }
    return out;
  }

  static boolean overlaps(String a, String b) {
    long[] x = parse(a);
    long[] y = parse(b);
    long mask = Math.min(x[1], y[1]);
    long m = mask == 0 ? 0 : (0xFFFFFFFFL << (32 - mask)) & 0xFFFFFFFFL;
    return (x[0] & m) == (y[0] & m);
  }

  /** {network address, prefix length}. */
  private static long[] parse(String cidr) {
    String[] parts = cidr.split("/");
    long a = 0;
    for (String octet : parts[0].split("\\.")) {
      a = a << 8 | Long.parseLong(octet);
    }
    int len = Integer.parseInt(parts[1]);
    long mask = len == 0 ? 0 : (0xFFFFFFFFL << (32 - len)) & 0xFFFFFFFFL;
    return new long[] {a & mask, len};
  }
}
