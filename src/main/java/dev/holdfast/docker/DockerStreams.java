package dev.holdfast.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.Frame;
import dev.holdfast.engine.EngineEvent;
import dev.holdfast.engine.EngineException;
import dev.holdfast.engine.ExecResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** The engine calls that stream (exec output, events), through docker-java's attach handling. */
final class DockerStreams {

  private DockerStreams() {}

  static ExecResult exec(DockerClient client, String id, List<String> command, Duration timeout) {
    try {
      String execId =
          client
              .execCreateCmd(id)
              .withCmd(command.toArray(String[]::new))
              .withAttachStdout(true)
              .withAttachStderr(true)
              .exec()
              .getId();
      StringBuilder out = new StringBuilder();
      ResultCallback.Adapter<Frame> callback =
          client
              .execStartCmd(execId)
              .exec(
                  new ResultCallback.Adapter<>() {
                    @Override
                    public void onNext(Frame frame) {
                      synchronized (out) {
                        if (out.length() < 65536) {
                          out.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                        }
                      }
                    }
                  });
      boolean done = callback.awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS);
      callback.close();
      if (!done) {
        return new ExecResult(124, "timed out after " + timeout.toMillis() + " ms");
      }
      Long code = client.inspectExecCmd(execId).exec().getExitCodeLong();
      synchronized (out) {
        return new ExecResult(code == null ? -1 : code.intValue(), out.toString());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EngineException("exec in " + id + " interrupted", e);
    } catch (Exception e) {
      throw DockerErrors.translate("exec in " + id, e);
    }
  }

  static AutoCloseable events(
      DockerClient client, Consumer<EngineEvent> onEvent, Consumer<Throwable> onEnd) {
    java.util.concurrent.atomic.AtomicBoolean ended =
        new java.util.concurrent.atomic.AtomicBoolean();
    ResultCallback.Adapter<Event> callback =
        new ResultCallback.Adapter<>() {
          @Override
          public void onNext(Event e) {
            DockerEvents.read(e, Instant.now()).ifPresent(onEvent);
          }

          @Override
          public void onError(Throwable t) {
            // not super.onError: it logs a stack trace for what is an ordinary engine restart
            try {
              close();
            } catch (java.io.IOException e) {
              t.addSuppressed(e);
            }
            if (ended.compareAndSet(false, true)) {
              onEnd.accept(t);
            }
          }

          @Override
          public void onComplete() {
            super.onComplete();
            if (ended.compareAndSet(false, true)) {
              onEnd.accept(null);
            }
          }
        };
    try {
      return client.eventsCmd().withEventTypeFilter("container").exec(callback);
    } catch (RuntimeException e) {
      throw DockerErrors.translate("events", e);
    }
  }
}
