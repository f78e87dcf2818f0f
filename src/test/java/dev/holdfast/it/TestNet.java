package dev.holdfast.it;

import dev.holdfast.testing.Cmd;
import java.util.ArrayList;
import java.util.List;

/**
 * An {@code --internal} Docker network on a free /28 slice of the documentation ranges (RFC 5737),
 * so test classes, and other users of the same engine, never collide. 192.0.2.48/28 is skipped: it
 * holds the anycast prefix 192.0.2.53/32.
 */
final class TestNet {

  final String name;
  final String subnet;
  private final long base;

  private TestNet(String name, String subnet) {
    this.name = name;
    this.subnet = subnet;
    this.base = parse(subnet)[0];
  }

  /** The address base+offset of the subnet, e.g. host(10). */
  String host(int offset) {
    long a = base + offset;
    return (a >> 24 & 255) + "." + (a >> 16 & 255) + "." + (a >> 8 & 255) + "." + (a & 255);
  }

  /** Creates the network on the first candidate slice that overlaps no existing network. */
  static TestNet create(String name, List<String> labelArgs) {
    List<String> taken = existingSubnets();
    List<String> tried = new ArrayList<>();
    for (String candidate : candidates()) {
      if (taken.stream().anyMatch(t -> overlaps(t, candidate))) {
        continue;
      }
      List<String> args = new ArrayList<>(List.of("network", "create", "--internal"));
      args.addAll(List.of("--subnet", candidate));
      args.addAll(labelArgs);
      args.add(name);
      Cmd.Result r = SeedGroup.DOCKER.run(args.toArray(String[]::new));
      if (r.ok()) {
        return new TestNet(name, candidate);
      }
      tried.add(candidate + ": " + r.err().strip());
      if (tried.size() >= 5) {
        break; // a few races with other users are plausible; more means something else is wrong
      }
    }
    throw new AssertionError(
        "no free documentation subnet for network " + name + "; taken " + taken + "; " + tried);
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

  private static List<String> existingSubnets() {
    List<String> out = new ArrayList<>(hostTaken());
    String ids = SeedGroup.DOCKER.ok("network", "ls", "-q");
    for (String id : ids.split("\\s+")) {
      if (id.isBlank()) {
        continue;
      }
      Cmd.Result r =
          SeedGroup.DOCKER.run(
              "network", "inspect", "-f", "{{range .IPAM.Config}}{{.Subnet}} {{end}}", id);
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
