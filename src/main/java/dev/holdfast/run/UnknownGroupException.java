package dev.holdfast.run;

/** No group of that name: the API answers 404. */
public final class UnknownGroupException extends RuntimeException {

  public UnknownGroupException(String message) {
    super(message);
  }
}
