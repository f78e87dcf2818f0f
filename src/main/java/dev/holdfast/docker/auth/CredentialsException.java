package dev.holdfast.docker.auth;

import dev.holdfast.engine.EngineException;

/**
 * Registry credentials that cannot be had: a login file or {@code config.json} that cannot be read,
 * a credential helper that is not installed or fails. The run that needed them fails with this
 * message (which names the file, the helper and the registry, never a secret), before anything is
 * stopped.
 */
public final class CredentialsException extends EngineException {

  public CredentialsException(String message) {
    super(message);
  }
}
