package dev.holdfast.run;

/** A step that cannot complete: the run rolls back. */
final class StepFailedException extends RuntimeException {

  StepFailedException(String message) {
    super(message);
  }
}
