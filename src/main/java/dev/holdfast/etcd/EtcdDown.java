package dev.holdfast.etcd;

import io.grpc.Status;
import java.util.Locale;

/**
 * etcd did not answer in time, or answered with an error: no quorum, every endpoint down, our lease
 * gone. The message is what {@code problem()} and a waiting take say.
 */
final class EtcdDown extends Exception {

  private static final long serialVersionUID = 1L;

  private final boolean leaseGone;

  EtcdDown(String message, boolean leaseGone) {
    super(message, null, false, false);
    this.leaseGone = leaseGone;
  }

  /** What a failed call's cause says, in a line: gRPC's code and etcd's words. */
  static EtcdDown of(Throwable cause) {
    Status s = Status.fromThrowable(cause);
    String text =
        s.getCode() == Status.Code.UNKNOWN || s.getDescription() == null
            ? String.valueOf(cause.getMessage())
            : s.getCode() + ": " + s.getDescription();
    String line = text.replaceAll("\\s+", " ").strip();
    if (line.length() > 200) {
      line = line.substring(0, 200) + "...";
    }
    return new EtcdDown(line, line.toLowerCase(Locale.ROOT).contains("requested lease not found"));
  }

  /** The call was refused because the lease its keys were to carry has expired. */
  boolean leaseGone() {
    return leaseGone;
  }
}
