package dev.holdfast.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/** Helm's own lint and template, run from Java: no helm binary, no cluster. */
class ChartTest {

  private static final Path CHART = Path.of("charts/holdfast");
  private static final Path VALUES = Path.of("src/test/resources/chart");

  /** Keys all-values.yaml leaves at their default, and the test that covers them instead. */
  private static final Map<String, String> KEPT_AT_DEFAULT =
      Map.of(
          "existingSecret", "anExistingSecretIsReferencedAndNoneIsCreated",
          "updateStrategy.type", "onDeleteHasNoRollingUpdate");

  private final Helm chart = new Helm(CHART);

  @Test
  void lintsClean() {
    LintResult lint = chart.lint().strict().call();

    assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
  }

  @Test
  void lintRefusesAChartWhoseValuesTheSchemaRefuses(@TempDir Path dir) throws IOException {
    Path copy = dir.resolve("holdfast");
    copyTree(CHART, copy);
    Files.writeString(
        copy.resolve("values.yaml"), "\nnodeSelecter: {}\n", StandardOpenOption.APPEND);

    LintResult lint = new Helm(copy).lint().strict().call();

    assertThat(lint.isFailed()).isTrue();
    assertThat(String.join("\n", lint.getMessages()))
        .contains("nodeSelecter")
        .contains("not allowed");
  }

  @Test
  void rendersADaemonSetWithTheSocketAndTheTokenFromASecret() {
    String out = chart.template().withName("hf").set("apiToken", "t0ken").call();

    assertThat(out).contains("kind: DaemonSet").contains("path: /var/run/docker.sock");
    assertThat(out).contains("kind: Secret").contains("name: hf-token").contains("key: token");
    assertThat(out).doesNotContain("value: t0ken");
  }

  @Test
  void withoutATokenNoSecretIsReferenced() {
    String out = chart.template().withName("hf").call();

    assertThat(out).doesNotContain("kind: Secret").doesNotContain("HOLDFAST_API_TOKEN");
  }

  @Test
  void rendersWithDefaults() {
    List<Map<String, Object>> docs = render(chart.template().withName("hf").withNamespace("ops"));

    assertThat(docs).extracting(d -> d.get("kind")).containsExactly("DaemonSet");
    Map<String, Object> ds = only(docs, "DaemonSet");
    assertThat(at(ds, "metadata.name")).isEqualTo("hf");
    assertThat(at(ds, "metadata.namespace")).isEqualTo("ops");
    assertThat(at(ds, "spec.updateStrategy"))
        .isEqualTo(
            Map.of(
                "type",
                "RollingUpdate",
                "rollingUpdate",
                Map.of("maxSurge", 0, "maxUnavailable", 1)));
    Map<String, Object> pod = map(at(ds, "spec.template.spec"));
    assertThat(pod)
        .containsEntry("hostNetwork", false)
        .containsEntry("automountServiceAccountToken", false)
        .containsEntry("enableServiceLinks", false)
        .containsEntry("terminationGracePeriodSeconds", 90)
        .doesNotContainKeys(
            "priorityClassName", "imagePullSecrets", "nodeSelector", "tolerations", "dnsPolicy");
    assertThat(at(ds, "spec.template.metadata"))
        .isEqualTo(Map.of("labels", at(ds, "metadata.labels")));
    assertThat(pod.get("securityContext"))
        .isEqualTo(
            Map.of(
                "runAsUser",
                0,
                "runAsGroup",
                0,
                "runAsNonRoot",
                false,
                "supplementalGroups",
                List.of(),
                "seccompProfile",
                Map.of("type", "RuntimeDefault"),
                "seLinuxOptions",
                Map.of()));

    Map<String, Object> c = map(at(ds, "spec.template.spec.containers.0"));
    assertThat(c.get("image")).isEqualTo("holdfast:0.1.0");
    assertThat(c.get("imagePullPolicy")).isEqualTo("IfNotPresent");
    assertThat(c.get("args")).isEqualTo(List.of("serve"));
    assertThat(c.get("securityContext"))
        .isEqualTo(
            Map.of(
                "readOnlyRootFilesystem", true,
                "allowPrivilegeEscalation", false,
                "capabilities", Map.of("drop", List.of("ALL"))));
    assertThat(at(c, "ports.0"))
        .isEqualTo(Map.of("name", "http", "containerPort", 8080, "protocol", "TCP"));
    assertThat(at(c, "livenessProbe.httpGet"))
        .isEqualTo(Map.of("path", "/healthz", "port", "http"));
    assertThat(at(c, "readinessProbe.httpGet"))
        .isEqualTo(Map.of("path", "/readyz", "port", "http"));
    assertThat(c.get("resources"))
        .isEqualTo(
            Map.of(
                "requests", Map.of("cpu", "50m", "memory", "128Mi"),
                "limits", Map.of("memory", "256Mi")));

    Map<String, Object> env = env(c);
    assertThat(env)
        .containsEntry("HOLDFAST_DOCKER_HOST", "unix:///var/run/docker.sock")
        .containsEntry("HOLDFAST_LISTEN", "0.0.0.0:8080")
        .containsEntry("HOLDFAST_URL", "http://127.0.0.1:8080")
        .containsEntry("HOLDFAST_DATA_DIR", "/var/lib/holdfast")
        .containsEntry(
            "HOLDFAST_INSTANCE", Map.of("fieldRef", Map.of("fieldPath", "spec.nodeName")))
        .containsEntry("HOLDFAST_BUDGET_WAIT", "1h")
        .containsEntry("HOLDFAST_RECONCILE_INTERVAL", "30s")
        .containsEntry("HOLDFAST_STOP_TIMEOUT", "8s")
        .containsEntry("HOLDFAST_LOG_LEVEL", "INFO")
        .doesNotContainKeys(
            "HOLDFAST_SCOPE",
            "HOLDFAST_BUDGETS",
            "HOLDFAST_ETCD",
            "HOLDFAST_ETCD_PREFIX",
            "HOLDFAST_ETCD_TTL",
            "HOLDFAST_API_TOKEN",
            "HOLDFAST_HOOK_SECRET");

    assertThat(mounts(c))
        .isEqualTo(
            Map.of(
                "docker-socket", "/var/run/docker.sock",
                "data", "/var/lib/holdfast",
                "tmp", "/tmp"));
    Map<String, Object> volumes = volumes(ds);
    assertThat(volumes.get("docker-socket"))
        .isEqualTo(Map.of("hostPath", Map.of("path", "/var/run/docker.sock", "type", "Socket")));
    assertThat(volumes.get("data"))
        .isEqualTo(
            Map.of("hostPath", Map.of("path", "/var/lib/holdfast", "type", "DirectoryOrCreate")));
    assertThat(volumes.get("tmp")).isEqualTo(Map.of("emptyDir", Map.of("sizeLimit", "256Mi")));
  }

  @Test
  void rendersEveryDocumentedValue() {
    List<Map<String, Object>> docs =
        render(
            chart
                .template()
                .withName("hf")
                .withNamespace("ops")
                .withValuesFile(VALUES.resolve("all-values.yaml")));

    assertThat(docs)
        .extracting(d -> d.get("kind"))
        .containsExactlyInAnyOrder("DaemonSet", "Secret", "Service");
    Map<String, Object> ds = only(docs, "DaemonSet");
    Map<String, Object> pod = map(at(ds, "spec.template.spec"));
    Map<String, Object> c = map(at(pod, "containers.0"));
    Map<String, Object> env = env(c);

    // image, imagePullSecrets
    assertThat(c.get("image")).isEqualTo("registry.example.net/ops/holdfast:9.9.9");
    assertThat(c.get("imagePullPolicy")).isEqualTo("Always");
    assertThat(pod.get("imagePullSecrets")).isEqualTo(List.of(Map.of("name", "regcred")));

    // apiToken, hookSecret: in the chart's Secret, referenced by key, never in the pod spec
    Map<String, Object> secret = only(docs, "Secret");
    assertThat(at(secret, "metadata.name")).isEqualTo("hf-token");
    assertThat(secret.get("stringData"))
        .isEqualTo(Map.of("token", "all-values-token", "hookSecret", "all-values-hook-secret"));
    assertThat(env.get("HOLDFAST_API_TOKEN"))
        .isEqualTo(Map.of("secretKeyRef", Map.of("name", "hf-token", "key", "token")));
    assertThat(env.get("HOLDFAST_HOOK_SECRET"))
        .isEqualTo(Map.of("secretKeyRef", Map.of("name", "hf-token", "key", "hookSecret")));
    assertThat(ds.toString()).doesNotContain("all-values-token", "all-values-hook-secret");
    assertThat(map(at(ds, "spec.template.metadata.annotations"))).containsKey("checksum/secret");

    // dockerSocket, dataDir: node paths; the pod's paths stay what holdfast is told
    Map<String, Object> volumes = volumes(ds);
    assertThat(at(volumes.get("docker-socket"), "hostPath.path")).isEqualTo("/run/docker-alt.sock");
    assertThat(at(volumes.get("data"), "hostPath.path")).isEqualTo("/srv/holdfast");
    assertThat(env)
        .containsEntry("HOLDFAST_DOCKER_HOST", "unix:///var/run/docker.sock")
        .containsEntry("HOLDFAST_DATA_DIR", "/var/lib/holdfast");

    // port, listenAddress
    assertThat(at(c, "ports.0.containerPort")).isEqualTo(9090);
    assertThat(env)
        .containsEntry("HOLDFAST_LISTEN", "[::]:9090")
        .containsEntry("HOLDFAST_URL", "http://[::1]:9090");

    // the HOLDFAST_* settings
    assertThat(env)
        .containsEntry("HOLDFAST_INSTANCE", "edge-fra1")
        .containsEntry("HOLDFAST_SCOPE", "site-a")
        .containsEntry("HOLDFAST_BUDGETS", "192.0.2.53/32=2/1 2001:db8::53/128=1/3")
        .containsEntry("HOLDFAST_BUDGET_WAIT", "20m")
        .containsEntry("HOLDFAST_ETCD", "http://etcd-0.etcd:2379,https://etcd-1.etcd:2379")
        .containsEntry("HOLDFAST_ETCD_PREFIX", "/hf-test/")
        .containsEntry("HOLDFAST_ETCD_TTL", "15s")
        .containsEntry("HOLDFAST_RECONCILE_INTERVAL", "45s")
        .containsEntry("HOLDFAST_STOP_TIMEOUT", "20s")
        .containsEntry("HOLDFAST_LOG_LEVEL", "DEBUG");

    // extraEnv: passed through as written, after the chart's own
    assertThat(env)
        .containsEntry("HOLDFAST_SETTLE", "2s")
        .containsEntry(
            "HOLDFAST_HOOK_SECRET_GITHUB",
            Map.of("secretKeyRef", Map.of("name", "github-hook", "key", "secret")));
    assertThat(new ArrayList<>(env.keySet()).subList(env.size() - 2, env.size()))
        .containsExactly("HOLDFAST_SETTLE", "HOLDFAST_HOOK_SECRET_GITHUB");

    // service
    Map<String, Object> svc = only(docs, "Service");
    assertThat(at(svc, "metadata.annotations")).isEqualTo(Map.of("example.net/owner", "ops"));
    assertThat(at(svc, "spec.type")).isEqualTo("NodePort");
    assertThat(at(svc, "spec.internalTrafficPolicy")).isEqualTo("Local");
    assertThat(at(svc, "spec.ports.0"))
        .isEqualTo(Map.of("name", "http", "port", 18080, "targetPort", "http", "protocol", "TCP"));

    // pod-level values
    assertThat(pod)
        .containsEntry("hostNetwork", true)
        .containsEntry("dnsPolicy", "ClusterFirstWithHostNet")
        .containsEntry("priorityClassName", "system-node-critical")
        .containsEntry("terminationGracePeriodSeconds", 120)
        .containsEntry("nodeSelector", Map.of("holdfast/docker", "true"));
    assertThat(map(at(ds, "spec.template.metadata.annotations")))
        .containsEntry("prometheus.io/scrape", "true");
    assertThat(at(ds, "spec.updateStrategy.rollingUpdate"))
        .isEqualTo(Map.of("maxSurge", 0, "maxUnavailable", "25%"));
    assertThat(pod.get("tolerations"))
        .isEqualTo(
            List.of(
                Map.of(
                    "key", "edge", "operator", "Equal", "value", "anycast", "effect", "NoSchedule"),
                Map.of(
                    "key", "node.kubernetes.io/unreachable",
                    "operator", "Exists",
                    "effect", "NoExecute",
                    "tolerationSeconds", 600)));

    // security contexts
    assertThat(pod.get("securityContext"))
        .isEqualTo(
            Map.of(
                "runAsUser",
                10001,
                "runAsGroup",
                10002,
                "runAsNonRoot",
                true,
                "supplementalGroups",
                List.of(999),
                "seccompProfile",
                Map.of("type", "Unconfined"),
                "seLinuxOptions",
                Map.of("type", "spc_t")));
    assertThat(c.get("securityContext"))
        .isEqualTo(
            Map.of(
                "readOnlyRootFilesystem", false,
                "allowPrivilegeEscalation", true,
                "capabilities", Map.of("drop", List.of("NET_RAW"))));

    // resources
    assertThat(c.get("resources"))
        .isEqualTo(
            Map.of(
                "requests", Map.of("cpu", "200m", "memory", "300Mi"),
                "limits", Map.of("memory", "600Mi")));
  }

  /** A new value without a line in all-values.yaml would go untested. */
  @Test
  void allValuesSetsEveryKeyOfValuesYamlToAnotherValue() throws IOException {
    Map<String, Object> defaults = leaves(yamlFile(CHART.resolve("values.yaml")));
    Map<String, Object> all = yamlFile(VALUES.resolve("all-values.yaml"));

    assertThat(defaults).hasSizeGreaterThan(40);
    defaults.forEach(
        (path, value) -> {
          Object set = at(all, path);
          assertThat(set).as(path + " is in all-values.yaml").isNotNull();
          if (KEPT_AT_DEFAULT.containsKey(path)) {
            assertThat(set).as(path).isEqualTo(value);
          } else {
            assertThat(set).as(path + " differs from its default").isNotEqualTo(value);
          }
        });
  }

  /** Every key of values.yaml has a type and a description; no object takes unknown keys. */
  @Test
  void theSchemaDescribesEveryKeyOfValuesYamlAndClosesEveryObject() throws IOException {
    JsonNode schema = new ObjectMapper().readTree(CHART.resolve("values.schema.json").toFile());
    Map<String, Object> defaults = leaves(yamlFile(CHART.resolve("values.yaml")));

    assertThat(schema.path("$schema").asText())
        .isEqualTo("http://json-schema.org/draft-07/schema#");
    for (String path : defaults.keySet()) {
      JsonNode node = schema;
      StringBuilder sofar = new StringBuilder();
      for (String key : path.split("\\.")) {
        sofar.append(sofar.length() == 0 ? "" : ".").append(key);
        node = node.path("properties").path(key);
        assertThat(node.path("type").isMissingNode()).as(sofar + " has a type").isFalse();
        assertThat(node.path("description").asText()).as(sofar + " has a description").isNotBlank();
      }
    }
    assertThat(objects(schema))
        .isNotEmpty()
        .allSatisfy(
            o ->
                assertThat(
                        o.path("additionalProperties").isBoolean()
                            && !o.path("additionalProperties").asBoolean())
                    .as(o.toString())
                    .isTrue());
  }

  @Test
  void refusesAnUnknownKey() {
    assertThatThrownBy(
            () -> chart.template().withValuesFile(VALUES.resolve("unknown-key.yaml")).call())
        .hasMessageContaining("nodeSelecter")
        .hasMessageContaining("not allowed");
  }

  @Test
  void refusesAnUnknownKeyInANestedObject() {
    assertThatThrownBy(
            () -> chart.template().withValuesFile(VALUES.resolve("nested-unknown-key.yaml")).call())
        .hasMessageContaining("securityContext")
        .hasMessageContaining("readOnlyRootFS")
        .hasMessageContaining("not allowed");
  }

  @Test
  void refusesAValueOfTheWrongType() {
    assertThatThrownBy(
            () -> chart.template().withValuesFile(VALUES.resolve("wrong-type.yaml")).call())
        .hasMessageContaining("service.port")
        .hasMessageContaining("Invalid type");
  }

  @Test
  void refusesAValueOutsideItsEnum() {
    assertThatThrownBy(() -> chart.template().set("logLevel", "VERBOSE").call())
        .hasMessageContaining("logLevel");
  }

  @Test
  void theServiceIsOffByDefaultAndAClusterIpWhenEnabled() {
    assertThat(render(chart.template().withName("hf")))
        .extracting(d -> d.get("kind"))
        .doesNotContain("Service");

    Map<String, Object> svc =
        only(render(chart.template().withName("hf").set("service.enabled", "true")), "Service");

    assertThat(at(svc, "metadata.name")).isEqualTo("hf");
    assertThat(at(svc, "spec.type")).isEqualTo("ClusterIP");
    assertThat(at(svc, "spec.internalTrafficPolicy")).isEqualTo("Cluster");
    assertThat(at(svc, "spec.ports.0.port")).isEqualTo(8080);
    assertThat(at(svc, "spec.ports.0.targetPort")).isEqualTo("http");
    assertThat(at(svc, "spec.selector"))
        .isEqualTo(
            Map.of("app.kubernetes.io/name", "holdfast", "app.kubernetes.io/instance", "hf"));
  }

  @Test
  void anExistingSecretIsReferencedAndNoneIsCreated() {
    List<Map<String, Object>> docs =
        render(chart.template().withName("hf").set("existingSecret", "ops-holdfast"));

    assertThat(docs).extracting(d -> d.get("kind")).containsExactly("DaemonSet");
    Map<String, Object> env =
        env(map(at(only(docs, "DaemonSet"), "spec.template.spec.containers.0")));
    assertThat(env.get("HOLDFAST_API_TOKEN"))
        .isEqualTo(Map.of("secretKeyRef", Map.of("name", "ops-holdfast", "key", "token")));
    assertThat(env.get("HOLDFAST_HOOK_SECRET"))
        .isEqualTo(
            Map.of(
                "secretKeyRef",
                Map.of("name", "ops-holdfast", "key", "hookSecret", "optional", true)));
  }

  @Test
  void anExistingSecretAndATokenAreRefusedTogether() {
    assertThatThrownBy(
            () ->
                chart
                    .template()
                    .set("existingSecret", "ops-holdfast")
                    .set("apiToken", "t0ken")
                    .call())
        .hasMessageContaining("existingSecret and apiToken/hookSecret are exclusive");
  }

  @Test
  void onDeleteHasNoRollingUpdate() {
    Map<String, Object> ds =
        only(render(chart.template().set("updateStrategy.type", "OnDelete")), "DaemonSet");

    assertThat(at(ds, "spec.updateStrategy")).isEqualTo(Map.of("type", "OnDelete"));
  }

  @Test
  void theNotesTellHowToReachTheApiWhereTheTokenIsAndHowToRunStatus() {
    String notes =
        chart
            .install()
            .withName("hf")
            .withNamespace("ops")
            .set("apiToken", "t0ken")
            .dryRun()
            .clientOnly()
            .call()
            .getOutput();

    assertThat(notes)
        .contains("DaemonSet hf in namespace ops")
        .contains("--field-selector spec.nodeName=<node>")
        .contains("kubectl port-forward -n ops $POD 8080:8080")
        .contains("kubectl get secret -n ops hf-token -o jsonpath='{.data.token}' | base64 -d")
        .contains("kubectl exec -n ops $POD -- java")
        .contains("/opt/holdfast/holdfast.jar status")
        .doesNotContain("t0ken");
  }

  @Test
  void theNotesSayWhenTheApiHasNoToken() {
    String notes = chart.install().withName("hf").dryRun().clientOnly().call().getOutput();

    assertThat(notes)
        .contains("none: mutating endpoints are off")
        .contains("DaemonSet hf in namespace default")
        .contains("kubectl exec -n default $POD");
  }

  // --- rendering and reading

  private static List<Map<String, Object>> render(TemplateCommand template) {
    List<Map<String, Object>> docs = new ArrayList<>();
    for (Object doc : new Yaml().loadAll(template.call())) {
      if (doc != null) {
        docs.add(map(doc));
      }
    }
    return docs;
  }

  private static Map<String, Object> only(List<Map<String, Object>> docs, String kind) {
    List<Map<String, Object>> of = docs.stream().filter(d -> kind.equals(d.get("kind"))).toList();
    assertThat(of).as(kind).hasSize(1);
    return of.get(0);
  }

  /** The value at a dotted path ({@code spec.containers.0.name}); null when absent. */
  private static Object at(Object root, String path) {
    Object node = root;
    for (String key : path.split("\\.")) {
      if (node instanceof Map<?, ?> m) {
        node = m.get(key);
      } else if (node instanceof List<?> l && key.matches("\\d+")) {
        int i = Integer.parseInt(key);
        node = i < l.size() ? l.get(i) : null;
      } else {
        return null;
      }
    }
    return node;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    assertThat(o).isInstanceOf(Map.class);
    return (Map<String, Object>) o;
  }

  /** A container's env, in order: name to value, or to valueFrom. */
  private static Map<String, Object> env(Map<String, Object> container) {
    Map<String, Object> env = new LinkedHashMap<>();
    for (Object e : (List<?>) container.get("env")) {
      Map<String, Object> var = map(e);
      Object previous =
          env.put(
              (String) var.get("name"),
              var.containsKey("value") ? var.get("value") : var.get("valueFrom"));
      assertThat(previous).as("env " + var.get("name") + " given once").isNull();
    }
    return env;
  }

  private static Map<String, Object> mounts(Map<String, Object> container) {
    return ((List<?>) container.get("volumeMounts"))
        .stream()
            .map(ChartTest::map)
            .collect(
                Collectors.toMap(
                    m -> (String) m.get("name"),
                    m -> m.get("mountPath"),
                    (a, b) -> a,
                    LinkedHashMap::new));
  }

  /** The pod's volumes by name, without the name. */
  private static Map<String, Object> volumes(Map<String, Object> ds) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Object v : (List<?>) at(ds, "spec.template.spec.volumes")) {
      Map<String, Object> volume = new LinkedHashMap<>(map(v));
      out.put((String) volume.remove("name"), volume);
    }
    return out;
  }

  private static Map<String, Object> yamlFile(Path file) throws IOException {
    return map(new Yaml().load(Files.readString(file)));
  }

  /** Dotted paths of a values file's leaves: scalars, lists and empty maps. */
  private static Map<String, Object> leaves(Map<String, Object> values) {
    Map<String, Object> out = new LinkedHashMap<>();
    values.forEach(
        (key, value) -> {
          if (value instanceof Map<?, ?> m && !m.isEmpty()) {
            leaves(map(m)).forEach((k, v) -> out.put(key + "." + k, v));
          } else {
            out.put(key, value);
          }
        });
    return out;
  }

  /** Every schema node that declares properties (the objects the chart defines). */
  private static List<JsonNode> objects(JsonNode node) {
    List<JsonNode> out = new ArrayList<>();
    if (node.has("properties")) {
      out.add(node);
    }
    node.path("properties").forEach(property -> out.addAll(objects(property)));
    if (node.path("items").isObject()) {
      out.addAll(objects(node.path("items")));
    }
    return out;
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }
}
