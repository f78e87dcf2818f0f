package dev.holdfast.run;

import java.time.Instant;
import java.util.List;

/** A run as the API and CLI show it. */
public record RunView(
    String id,
    String group,
    String kind,
    String trigger,
    String state,
    Instant createdAt,
    Instant startedAt,
    Instant endedAt,
    String plan,
    List<StepRecord> steps,
    String error) {}
