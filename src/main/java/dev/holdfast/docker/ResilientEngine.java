package dev.holdfast.docker;

import dev.holdfast.engine.ContainerView;
import dev.holdfast.engine.CreateRequest;
import dev.holdfast.engine.Engine;
import dev.holdfast.engine.EngineEvent;
import dev.holdfast.engine.ExecResult;
import dev.holdfast.engine.ImageInfo;
import dev.holdfast.engine.TransientEngineException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries engine calls that failed transiently (connection refused or reset, 5xx, timeouts) with
 * backoff, behind a circuit breaker that stops hammering an engine that is away. Permanent failures
 * pass straight through. Exec (health probes poll on their own) and event streams are not retried
 * here.
 */
public final class ResilientEngine implements Engine {

  private static final Logger log = LoggerFactory.getLogger(ResilientEngine.class);

  private final Engine engine;
  private final Retry retry;
  private final CircuitBreaker breaker;

  public ResilientEngine(Engine engine, RetryPolicy policy) {
    this.engine = engine;
    this.retry =
        Retry.of(
            "engine",
            RetryConfig.custom()
                .maxAttempts(policy.maxAttempts())
                .intervalBiFunction((attempt, either) -> policy.waitAfter(attempt).toMillis())
                .retryOnException(
                    e ->
                        e instanceof TransientEngineException
                            || e instanceof CallNotPermittedException)
                .build());
    this.breaker =
        CircuitBreaker.of(
            "engine",
            CircuitBreakerConfig.custom()
                .slidingWindowSize(10)
                .minimumNumberOfCalls(5)
                .failureRateThreshold(50)
                .waitDurationInOpenState(Duration.ofSeconds(2))
                .permittedNumberOfCallsInHalfOpenState(1)
                .recordException(e -> e instanceof TransientEngineException)
                .build());
    retry
        .getEventPublisher()
        .onRetry(
            e ->
                log.warn(
                    "engine call failed, attempt {} of {}, retrying in {} ms: {}",
                    e.getNumberOfRetryAttempts(),
                    policy.maxAttempts(),
                    e.getWaitInterval().toMillis(),
                    e.getLastThrowable() == null ? "" : e.getLastThrowable().getMessage()));
    breaker
        .getEventPublisher()
        .onStateTransition(e -> log.warn("engine circuit {}", e.getStateTransition()));
  }

  /** closed, open or half_open: shown by readiness. */
  public String circuit() {
    return breaker.getState().name().toLowerCase(java.util.Locale.ROOT);
  }

  private <T> T call(Supplier<T> supplier) {
    Supplier<T> guarded = CircuitBreaker.decorateSupplier(breaker, supplier);
    try {
      return Retry.decorateSupplier(retry, guarded).get();
    } catch (CallNotPermittedException e) {
      throw new TransientEngineException("the engine is failing; its circuit is open", e);
    }
  }

  private void run(Runnable action) {
    call(
        () -> {
          action.run();
          return null;
        });
  }

  /**
   * One try, through the circuit: while it is open the engine counts as away, so waiting for the
   * engine also waits for the circuit to let calls through again.
   */
  @Override
  public void ping() {
    try {
      CircuitBreaker.decorateRunnable(breaker, engine::ping).run();
    } catch (CallNotPermittedException e) {
      throw new TransientEngineException("the engine is failing; its circuit is open", e);
    }
  }

  @Override
  public List<ContainerView> containers() {
    return call(engine::containers);
  }

  @Override
  public Optional<ContainerView> container(String idOrName) {
    return call(() -> engine.container(idOrName));
  }

  @Override
  public Optional<ImageInfo> image(String refOrId) {
    return call(() -> engine.image(refOrId));
  }

  @Override
  public ImageInfo pull(String ref) {
    return call(() -> engine.pull(ref));
  }

  @Override
  public Optional<String> remoteDigest(String ref) {
    return call(() -> engine.remoteDigest(ref));
  }

  @Override
  public void stop(String id) {
    run(() -> engine.stop(id));
  }

  @Override
  public void start(String id) {
    run(() -> engine.start(id));
  }

  @Override
  public void rename(String id, String newName) {
    run(() -> engine.rename(id, newName));
  }

  @Override
  public void setRestartPolicy(String id, String policy) {
    run(() -> engine.setRestartPolicy(id, policy));
  }

  @Override
  public String create(CreateRequest request) {
    return call(() -> engine.create(request));
  }

  @Override
  public void remove(String id) {
    run(() -> engine.remove(id));
  }

  @Override
  public ExecResult exec(String id, List<String> command, Duration timeout) {
    return engine.exec(id, command, timeout);
  }

  @Override
  public AutoCloseable events(Consumer<EngineEvent> onEvent, Consumer<Throwable> onEnd) {
    return engine.events(onEvent, onEnd);
  }
}
