package dev.holdfast.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The ObjectMapper holdfast writes its own JSON with: the HTTP API's answers. Adapters that read a
 * foreign wire format keep a mapper configured for it: the Docker adapter (the engine's JSON), the
 * hook readers (one, {@code hook.Bodies}: senders' bodies, trailing tokens refused), the CLI (the
 * API's answers, as trees) and the store's one-time import of an older release's {@code
 * groups.json}.
 */
public final class Json {

  private Json() {}

  public static ObjectMapper mapper() {
    return new ObjectMapper()
        .registerModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
  }
}
