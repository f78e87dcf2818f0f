package dev.holdfast.site;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PrefixTest {

  @ParameterizedTest
  @CsvSource({
    "192.0.2.53, 192.0.2.53/32",
    "192.0.2.53/32, 192.0.2.53/32",
    "198.51.100.77/24, 198.51.100.0/24",
    "203.0.113.0/0, 0.0.0.0/0",
    " 192.0.2.1/31 , 192.0.2.0/31",
    "2001:DB8::53, 2001:db8::53/128",
    "2001:db8:0:0:0:0:0:53/128, 2001:db8::53/128",
    "2001:0db8:0000:0000:0001:0000:0000:0001/128, 2001:db8::1:0:0:1/128",
    "2001:db8:0:1:0:0:0:1/128, 2001:db8:0:1::1/128",
    "2001:db8::/32, 2001:db8::/32",
    "2001:db8:ffff::1/32, 2001:db8::/32",
    "::/0, ::/0",
    "::1, ::1/128",
    "::ffff:192.0.2.1, ::ffff:c000:201/128",
    "2001:db8:1:2:3:4:5:6/128, 2001:db8:1:2:3:4:5:6/128"
  })
  void everySpellingOfAPrefixIsOne(String given, String canonical) {
    assertThat(Prefix.parse(given).text()).isEqualTo(canonical);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "dns.example",
        "192.0.2",
        "192.0.2.256/32",
        "192.0.2.01/32",
        "192.0.2.1/33",
        "192.0.2.1/",
        "192.0.2.1/-1",
        "2001:db8::1::2",
        "2001:db8:1:2:3:4:5:6:7",
        "2001:db8::1/129",
        "2001:db8::g",
        "12345::1"
      })
  void whatIsNoPrefixIsRefusedWithAnExample(String given) {
    assertThatThrownBy(() -> Prefix.parse(given))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not an IP prefix (e.g. 192.0.2.53/32)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"192.0.2.53", "2001:DB8::/32", "198.51.100.77/24"})
  void aPrefixIsBuiltOnlyFromItsCanonicalText(String given) {
    assertThatThrownBy(() -> new Prefix(given)).isInstanceOf(IllegalArgumentException.class);
  }

  @org.junit.jupiter.api.Test
  void aLabelListsPrefixesInOneSpellingEach() {
    assertThat(Prefix.list("2001:DB8::53/128, 192.0.2.53,192.0.2.53/32").stream().map(Prefix::text))
        .containsExactly("192.0.2.53/32", "2001:db8::53/128");
    assertThat(Prefix.list("")).isEmpty();
    assertThatThrownBy(() -> Prefix.list("192.0.2.53/32,,"))
        .hasMessageContaining("is not an IP prefix");
  }
}
