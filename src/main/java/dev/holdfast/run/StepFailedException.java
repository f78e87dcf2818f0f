package dev.holdfast.run;

/** A step that cannot complete: the run rolls back. */
class StepFailedException extends RuntimeException {

  StepFailedException(String message) {
    super(message);
  }

  /**
   * Whether the group must be run again once this run has rolled back: the holder restarted under
   * it, so members it did not touch may sit in the old namespace too.
   */
  boolean followUp() {
    return false;
  }

  /** The holder is not the instance the run planned against. */
  static final class HolderChanged extends StepFailedException {
    HolderChanged(String message) {
      super(message);
    }

    @Override
    boolean followUp() {
      return true;
    }
  }
}
