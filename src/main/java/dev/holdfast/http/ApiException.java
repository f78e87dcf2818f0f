package dev.holdfast.http;

/**
 * An error the API answers with its status and a JSON body {@code {"error": ..., "status": ...}}.
 */
final class ApiException extends RuntimeException {

  final int status;

  ApiException(int status, String message) {
    super(message);
    this.status = status;
  }
}
