package dev.holdfast.route;

/** A withdrawal or announcement that failed or could not be proven: the run stops or rolls back. */
public class RouteException extends RuntimeException {

  public RouteException(String message) {
    super(message);
  }
}
