package dev.holdfast.probe;

import java.time.Duration;
import java.util.List;

/** How the health gate decides that a new member serves. */
public sealed interface HealthCheck {

  /** The image's Docker HEALTHCHECK must report healthy. */
  record Docker() implements HealthCheck {
    @Override
    public String describe() {
      return "docker-healthcheck";
    }
  }

  /** A TCP connect to 127.0.0.1:port inside the group's namespace must succeed. */
  record Tcp(int port) implements HealthCheck {
    @Override
    public String describe() {
      return "tcp:" + port;
    }
  }

  /** An HTTP GET of 127.0.0.1:port/path inside the group's namespace must answer 2xx. */
  record Http(int port, String path) implements HealthCheck {
    @Override
    public String describe() {
      return "http:" + port + path;
    }
  }

  /** A command run inside the member must exit 0. */
  record Exec(List<String> command) implements HealthCheck {
    public Exec {
      command = List.copyOf(command);
    }

    @Override
    public String describe() {
      return "exec:" + String.join(" ", command);
    }
  }

  /** Without any probe: the member must keep running, without restarts, for this long. */
  record Settle(Duration duration) implements HealthCheck {
    @Override
    public String describe() {
      return "running-for:" + Durations.format(duration);
    }
  }

  /** The image's HEALTHCHECK and a probe label: both must pass. */
  record Both(HealthCheck first, HealthCheck second) implements HealthCheck {
    @Override
    public String describe() {
      return first.describe() + "+" + second.describe();
    }
  }

  String describe();
}
