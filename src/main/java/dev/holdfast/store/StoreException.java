package dev.holdfast.store;

/**
 * The store cannot be opened, or read. Its message names the database file and the cause, in words
 * an operator can act on (corrupt file, read-only disk, a newer holdfast's schema, ...).
 */
public final class StoreException extends RuntimeException {

  public StoreException(String message) {
    super(message);
  }

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
