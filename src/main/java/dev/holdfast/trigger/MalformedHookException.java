package dev.holdfast.trigger;

/** A delivery that is not what its sender sends (bad JSON, missing fields): answered 400. */
public class MalformedHookException extends RuntimeException {
  public MalformedHookException(String message) {
    super(message);
  }

  public MalformedHookException(String message, Throwable cause) {
    super(message, cause);
  }
}
