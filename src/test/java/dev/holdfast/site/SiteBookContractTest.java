package dev.holdfast.site;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link SiteBook} keeps {@link SitesContract}: every host of a scenario asks the one book. */
class SiteBookContractTest {

  static List<SitesContract.Scenario> scenarios() {
    return SitesContract.scenarios();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void keepsTheContract(SitesContract.Scenario scenario) {
    scenario.run(
        budgets -> {
          SiteBook book = new SiteBook(budgets);
          return host -> book;
        });
  }
}
