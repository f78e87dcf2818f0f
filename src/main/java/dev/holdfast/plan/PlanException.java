package dev.holdfast.plan;

/** A group cannot be planned: the reason says what to fix (missing holder, bad label, ...). */
public class PlanException extends RuntimeException {

  public PlanException(String message) {
    super(message);
  }
}
