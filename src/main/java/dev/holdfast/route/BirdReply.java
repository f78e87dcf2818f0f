package dev.holdfast.route;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The output of {@code birdc -v}: lines with BIRD's 4-digit reply codes. Read by code and not by
 * birdc's exit status, because birdc before 2.0.10 exits 0 even on errors. Continuation lines (a
 * leading space) carry the code of the line before.
 */
public record BirdReply(List<Line> lines) {

  /** One reply line. */
  public record Line(int code, String text) {}

  /** One row of {@code show protocols}. */
  public record Protocol(String name, String proto, String state, String info) {}

  private static final Pattern CODED = Pattern.compile("(\\d{4})[ -](.*)");
  private static final Pattern PREFIX = Pattern.compile("([0-9a-fA-F:.]+/\\d{1,3})\\s.*");

  public BirdReply {
    lines = List.copyOf(lines);
  }

  public static BirdReply parse(String output) {
    List<Line> lines = new ArrayList<>();
    int code = -1;
    for (String raw : output.split("\n", -1)) {
      if (raw.isEmpty()) {
        continue;
      }
      Matcher m = CODED.matcher(raw);
      if (m.matches()) {
        code = Integer.parseInt(m.group(1));
        lines.add(new Line(code, m.group(2)));
      } else if (raw.startsWith(" ") && code >= 0) {
        // the code's 4 digits and separator are printed as 5 spaces
        lines.add(new Line(code, raw.startsWith("     ") ? raw.substring(5) : raw.substring(1)));
      } else {
        // not birdc -v output (e.g. "Unable to connect to server control socket")
        lines.add(new Line(9999, raw));
      }
    }
    return new BirdReply(lines);
  }

  /** The first error (8xxx run-time, 9xxx parse error, or output that is not a reply). */
  public Optional<Line> error() {
    return lines.stream().filter(l -> l.code() >= 8000).findFirst();
  }

  /** Whether a line with this code is present. */
  public boolean has(int code) {
    return lines.stream().anyMatch(l -> l.code() == code);
  }

  /** Rows of {@code show protocols} (code 1002). */
  public List<Protocol> protocols() {
    List<Protocol> out = new ArrayList<>();
    for (Line l : lines) {
      if (l.code() == 1002) {
        String[] f = l.text().trim().split("\\s+", 6);
        if (f.length >= 4) {
          out.add(new Protocol(f[0], f[1], f[3], f.length > 5 ? f[5].trim() : ""));
        }
      }
    }
    return out;
  }

  /** Prefixes listed by {@code show route ...} (code 1007 lines that start with a network). */
  public List<String> prefixes() {
    List<String> out = new ArrayList<>();
    for (Line l : lines) {
      if (l.code() == 1007) {
        Matcher m = PREFIX.matcher(l.text());
        if (m.matches()) {
          out.add(m.group(1));
        }
      }
    }
    return out;
  }

  /** The reply as one line for logs and errors. */
  public String summary() {
    return String.join(
        " | ",
        lines.stream()
            .filter(l -> l.code() != 1)
            .map(l -> l.code() + " " + l.text().trim())
            .toList());
  }
}
