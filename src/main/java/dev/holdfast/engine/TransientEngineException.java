package dev.holdfast.engine;

/**
 * A failed engine call that may succeed when tried again: connection refused or reset, a 5xx
 * answer, a timeout. Retries and the circuit breaker act on this type only.
 */
public class TransientEngineException extends EngineException {

  public TransientEngineException(String message, Throwable cause) {
    super(message, cause);
  }
}
