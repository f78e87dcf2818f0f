package dev.holdfast.run;

/**
 * The engine stopped answering in the middle of a run, and stayed away past the retries: the run
 * cannot be finished nor rolled back now. Its record stays unfinished; when the engine is back the
 * run is recovered like one left by a killed process.
 */
final class EngineAwayException extends RuntimeException {
  EngineAwayException(String message, Throwable cause) {
    super(message, cause);
  }
}
