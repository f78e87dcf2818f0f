package dev.holdfast.run;

/** A request holdfast will not carry out (aimed at a holder): the API answers 409. */
public final class RefusedException extends RuntimeException {

  public RefusedException(String message) {
    super(message);
  }
}
