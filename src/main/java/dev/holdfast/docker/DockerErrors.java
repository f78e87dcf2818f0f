package dev.holdfast.docker;

import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.holdfast.engine.EngineException;
import dev.holdfast.engine.NoSuchContainerException;
import dev.holdfast.engine.TransientEngineException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeoutException;

/** Translates docker-java and transport failures into the engine port's exceptions. */
final class DockerErrors {

  private DockerErrors() {}

  static EngineException translate(String what, Throwable e) {
    if (e instanceof EngineException ee) {
      return ee;
    }
    String message = what + ": " + describe(e);
    if (e instanceof NotFoundException) {
      return new NoSuchContainerException(message, e);
    }
    if (e instanceof DockerException de) {
      return de.getHttpStatus() >= 500
          ? new TransientEngineException(message, e)
          : new EngineException(message, e);
    }
    if (isTransport(e)) {
      return new TransientEngineException(message, e);
    }
    return new EngineException(message, e);
  }

  /** An HTTP status from a raw call. */
  static EngineException forStatus(String what, int status, String body) {
    String message = what + ": engine answered " + status + " " + body.trim();
    if (status == 404) {
      return new NoSuchContainerException(message, null);
    }
    return status >= 500
        ? new TransientEngineException(message, null)
        : new EngineException(message);
  }

  /**
   * Whether an engine's error says the registry refused the pull's login, or that it needs one:
   * Docker 20.10 answers 500 with {@code no basic auth credentials} (no login sent) or {@code
   * unauthorized: authentication required} (a wrong one), 401 on some calls; Docker Hub says {@code
   * denied: requested access to the resource is denied}.
   */
  static boolean isUnauthorized(String message) {
    String m = message == null ? "" : message.toLowerCase(java.util.Locale.ROOT);
    return m.contains("unauthorized")
        || m.contains("no basic auth credentials")
        || m.contains("authentication required")
        || m.contains("requested access to the resource is denied")
        || m.contains("engine answered 401 ");
  }

  /** Connection refused or reset, timeouts: the engine is away, not saying no. */
  static boolean isTransport(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IOException
          || t instanceof SocketTimeoutException
          || t instanceof TimeoutException) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  private static String describe(Throwable e) {
    String m = e.getMessage();
    if (e instanceof DockerException) {
      // docker-java prefixes the JSON body: {"message":"..."}
      int i = m == null ? -1 : m.indexOf("\"message\":\"");
      if (i >= 0) {
        int end = m.indexOf('"', i + 11);
        return m.substring(i + 11, end < 0 ? m.length() : end);
      }
    }
    return m == null ? e.getClass().getSimpleName() : m;
  }
}
