package dev.holdfast.hook;

import dev.holdfast.trigger.WatchtowerNotice.Kind;
import java.util.regex.Pattern;

/**
 * What the error of a container Watchtower reports {@code Failed} means. Watchtower fails a
 * container in two places only: its pre-update hook refused (the container was left as it was) or
 * its own stop, create or start failed (the container may be gone or half made). Pure.
 */
final class WatchtowerErrors {

  private WatchtowerErrors() {}

  /**
   * The pre-update hook returned 75 (EX_TEMPFAIL): cw update.go:163 {@code skipping container as
   * the pre-update command returned exit code 75 (EX_TEMPFAIL)}, nf internal/actions/errors.go:26
   * {@code skipping container due to pre-update command exit code 75 (EX_TEMPFAIL)}.
   */
  private static final Pattern EXIT_75 =
      Pattern.compile("pre-update command (?:returned )?exit code 75", Pattern.CASE_INSENSITIVE);

  /**
   * The pre-update hook failed otherwise, which skips the container too: cw client.go:534 {@code
   * command exited with code %v %s}; nf wraps every hook failure as {@code pre-update command
   * failed: …}; a hook that timed out gives cw's {@code context deadline exceeded}, the only
   * deadline of a session (stop and recreate have none).
   */
  private static final Pattern HOOK_FAILED =
      Pattern.compile(
          "^command exited with code \\d+|^pre-update command failed|context deadline exceeded",
          Pattern.CASE_INSENSITIVE);

  /**
   * What Docker says when a container's network holder is gone or stopped: "No such container"
   * (create or start against a removed holder's ID), "joining network namespace …", "cannot join
   * network of a non running container".
   */
  private static final Pattern NAMESPACE_LOST =
      Pattern.compile(
          "no such container|join(?:ing)? (?:the )?network namespace|non[- ]running container",
          Pattern.CASE_INSENSITIVE);

  /** The pre-update hook refused: Watchtower did not touch the container. */
  static boolean vetoed(String error) {
    return EXIT_75.matcher(error).find() || HOOK_FAILED.matcher(error).find();
  }

  static boolean namespaceLost(String error) {
    return NAMESPACE_LOST.matcher(error).find();
  }

  /**
   * The kind of a container Watchtower lists as failed: a veto, a lost namespace, else a failed
   * recreate (whatever the text: a failed item Watchtower did not veto is one it tried to stop,
   * create or start). A hook that failed because its container is gone ("No such container" inside
   * a hook error) is a lost namespace: the group needs a heal more than an update.
   */
  static Kind failed(String error) {
    if (EXIT_75.matcher(error).find()) {
      return Kind.VETOED;
    }
    if (namespaceLost(error)) {
      return Kind.NAMESPACE_LOST;
    }
    return HOOK_FAILED.matcher(error).find() ? Kind.VETOED : Kind.RECREATE_FAILED;
  }
}
