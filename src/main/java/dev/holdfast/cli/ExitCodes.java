package dev.holdfast.cli;

/** What the CLI's exit status means; the README lists the same table. */
public final class ExitCodes {

  public static final int OK = 0;

  /** The run failed. */
  public static final int FAILED = 1;

  /** Bad command line (picocli's own usage error code). */
  public static final int USAGE = 2;

  /** The run rolled back, or a group is degraded. */
  public static final int ROLLED_BACK_OR_DEGRADED = 3;

  /** No such group or run. */
  public static final int NOT_FOUND = 4;

  /** Refused: aimed at a holder, or the group cannot be planned. */
  public static final int REFUSED = 5;

  /** The service cannot be reached, or refused the token. */
  public static final int UNREACHABLE = 6;

  private ExitCodes() {}
}
