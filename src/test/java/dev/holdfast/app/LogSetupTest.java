package dev.holdfast.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.ConsoleAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LogSetupTest {

  @Test
  void theLevelComesFromItsNameInAnyCaseAndFallsBackToInfo() {
    assertThat(LogSetup.level(null)).isEqualTo(Level.INFO);
    assertThat(LogSetup.level(" ")).isEqualTo(Level.INFO);
    assertThat(LogSetup.level("debug")).isEqualTo(Level.DEBUG);
    assertThat(LogSetup.level("WARN")).isEqualTo(Level.WARN);
    assertThat(LogSetup.level("loud")).isEqualTo(Level.INFO);
  }

  /** Found through logback's service loader, so that no logback.xml (and no Joran) is read. */
  @Test
  void logbackIsConfiguredByItOnStdoutWithTheLibrariesAtWarn() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);

    assertThat(root.getAppender("out")).isInstanceOf(ConsoleAppender.class);
    assertThat(context.getLogger("org.eclipse.jetty").getLevel()).isEqualTo(Level.WARN);
    assertThat(context.getLogger("com.github.dockerjava").getLevel()).isEqualTo(Level.WARN);
    assertThat(Thread.currentThread().getContextClassLoader().getResource("logback.xml")).isNull();
  }
}
