package dev.holdfast.engine;

/** A failed engine call that retrying will not fix (bad request, conflict, missing image). */
public class EngineException extends RuntimeException {

  public EngineException(String message, Throwable cause) {
    super(message, cause);
  }

  public EngineException(String message) {
    super(message);
  }
}
