package dev.holdfast.plan;

/** How a step writes itself as one line of plan text: the verb, the target, the detail. */
final class StepText {

  private StepText() {}

  static String line(String verb, String target, String detail) {
    String head = String.format("%-9s %s", verb, target);
    return detail.isEmpty() ? head : String.format("%-32s %s", head, detail);
  }

  static String abbrev(String id) {
    if (id == null || id.isEmpty()) {
      return "?";
    }
    if (id.startsWith("pull:")) {
      return "new " + abbrev(id.substring(5));
    }
    return id.startsWith("sha256:") && id.length() > 19 ? id.substring(0, 19) : id;
  }
}
