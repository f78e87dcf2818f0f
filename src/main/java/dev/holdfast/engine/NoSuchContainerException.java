package dev.holdfast.engine;

/** The container named in a call does not exist (any more). */
public class NoSuchContainerException extends EngineException {

  public NoSuchContainerException(String message, Throwable cause) {
    super(message, cause);
  }
}
