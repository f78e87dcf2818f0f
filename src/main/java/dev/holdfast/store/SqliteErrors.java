package dev.holdfast.store;

import java.sql.SQLException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** SQLite's error codes in an operator's words. */
final class SqliteErrors {

  private SqliteErrors() {}

  private static final Pattern DRIVER_MESSAGE = Pattern.compile("^\\[\\w+\\] .* \\((.*)\\)$");

  /** The cause of a SQLite error, in an operator's words. */
  static String cause(SQLException e) {
    String message = String.valueOf(e.getMessage());
    Matcher m = DRIVER_MESSAGE.matcher(message);
    String detail = m.matches() ? m.group(1) : message;
    return switch (e.getErrorCode() & 0xff) { // the primary result code
      case 26 -> "file is not a database (corrupt?)"; // SQLITE_NOTADB
      case 11 -> "the file is corrupt (" + detail + ")"; // SQLITE_CORRUPT
      case 8 -> "read-only (" + detail + ")"; // SQLITE_READONLY
      case 13 -> "disk full (" + detail + ")"; // SQLITE_FULL
      case 5, 6 -> // SQLITE_BUSY, SQLITE_LOCKED
          "locked by another process, is another holdfast using this data directory? ("
              + detail
              + ")";
      case 14 -> "cannot open the file (" + detail + ")"; // SQLITE_CANTOPEN
      case 3, 23 -> "permission denied (" + detail + ")"; // SQLITE_PERM, SQLITE_AUTH
      case 10 -> "I/O error (" + detail + ")"; // SQLITE_IOERR
      default -> detail;
    };
  }
}
