package dev.holdfast.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ConnectionReuseStrategy;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.impl.DefaultConnectionReuseStrategy;
import org.apache.hc.core5.http.impl.io.DefaultBHttpClientConnection;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.message.BasicClassicHttpRequest;
import org.apache.hc.core5.http.message.BasicHeader;
import org.apache.hc.core5.http.protocol.HttpCoreContext;
import org.apache.hc.core5.io.CloseMode;

/**
 * A closed-loop HTTP/1.1 load generator for webhook endpoints, the one program bench/hooks.sh runs
 * against every target.
 *
 * <p>Usage: {@code java -cp target/test-classes:target/holdfast.jar dev.holdfast.bench.HookLoad
 * --url URL --body FILE [--header 'Name: value']... [--concurrency C] [--warmup W] [--requests N]
 * [--max-seconds S] [--client socket|httpcore] [--unique TOKEN] [--expect TEXT] [--sample FILE]
 * [--label NAME] [--watch-pid PID [--clk-tck HZ]]}
 *
 * <p>C workers, each with its own keep-alive connection, POST the body as fast as the answers come
 * (closed loop): first W warm-up requests (not recorded), then, after all workers are through the
 * warm-up, N measured ones, stopping early when S seconds have passed (bounded count and time).
 * Each measured request's latency is nanoTime from before the request is sent until its whole
 * answer is read. One line on stdout, key=value, for scripts:
 *
 * <pre>
 * HOOKLOAD label=.. client=.. concurrency=.. warmup=.. requests=&lt;done&gt; wanted=&lt;N&gt; complete=0|1
 *   errors=&lt;non-2xx + exceptions&gt; unexpected=&lt;answers without TEXT&gt; seconds=.. rps=..
 *   p50_ms=.. p90_ms=.. p99_ms=.. max_ms=.. statuses=200:N,.. warmup_errors=.. client_cpu_ms=..
 *   server_cpu_ms=.. host_cpu_ms=.. start_ms=&lt;epoch ms&gt; end_ms=&lt;epoch ms&gt; valid=0|1
 * </pre>
 *
 * <p>valid=1 only when every measured request got a 2xx answer (containing TEXT with --expect) and
 * all N were sent within the time cap; otherwise the reason goes to stderr and the exit code is 1.
 *
 * <ul>
 *   <li>{@code --client socket} (default): HTTP/1.1 written and read by this class over a plain
 *       keep-alive socket per worker, one prebuilt request per write, Content-Length or chunked
 *       answers ({@link SocketClient}; {@code HookLoadTest} checks how it reads answers). The
 *       cheapest client, so the generator is not slower than what it measures: against the bare
 *       endpoint on the 2-CPU test machine about 20-25 us of generator CPU per request, the bare
 *       endpoint's own cost about 30 us.
 *   <li>{@code --client httpcore}: Apache HttpCore 5's classic HTTP/1.1 client connection (the
 *       library under the Apache HttpClient 5 of holdfast's Docker transport; its classes are in
 *       holdfast's jar), one keep-alive connection per worker: the same requests through a
 *       well-kept implementation, to cross-check the socket client's figures. It costs about 40 us
 *       of generator CPU per request (55 with the bench's 2000 warm-up requests), more than the
 *       bare endpoint, which holds the bare target about 10-20 % lower; Apache HttpClient 5's
 *       pooled client on top of it cost twice that, and the JDK's java.net.http client about 275 us
 *       (it measured the client, not the server).
 * </ul>
 *
 * <p>A request still hanging after twice the time cap (plus 20 s) gets its connection closed by a
 * watchdog, so the run ends, bounded and invalid, even against a server that stops answering.
 * {@code --unique TOKEN}: every occurrence of TOKEN in the body (and nothing else) is replaced, per
 * request, by a distinct lowercase hex number of TOKEN's length (the body size stays the same), so
 * each request is a new delivery (a new digest and event id) rather than a repeat. {@code --expect
 * TEXT}: count answers whose body lacks TEXT (e.g. "outcome":"duplicate"). {@code --sample FILE}:
 * write the last measured answer (status line + body) to FILE. {@code --watch-pid PID} (Linux):
 * also report the CPU time process PID (the server) and the whole host used during the measured
 * part (server_cpu_ms, host_cpu_ms, from /proc; CLK_TCK from --clk-tck, default 100).
 *
 * <p>Loopback only: the URL's host must be 127.0.0.1, ::1 or localhost.
 */
public final class HookLoad {

  private static final int TIMEOUT_MS = 10_000;

  record Answer(int status, byte[] body) {}

  /** One worker's way to send (its connection is the transport's). */
  interface Client extends AutoCloseable {
    Answer send(byte[] request) throws IOException, InterruptedException;

    @Override
    void close();
  }

  // --- options -----------------------------------------------------------------------------

  private URI url;
  private byte[] body;
  private final List<String[]> headers = new ArrayList<>();
  private int concurrency = 8;
  private int warmup = 2000;
  private int requests = 20000;
  private double maxSeconds = 120;
  private String client = "socket";
  private byte[] unique;
  private byte[] expect;
  private Path sample;
  private String label = "-";
  private long watchPid = -1;
  private int clkTck = 100;

  private static void usage(String why) {
    System.err.println("HookLoad: " + why);
    System.err.println(
        "usage: HookLoad --url URL --body FILE [--header 'Name: value']..."
            + " [--concurrency C] [--warmup W] [--requests N] [--max-seconds S]"
            + " [--client socket|httpcore] [--unique TOKEN] [--expect TEXT] [--sample FILE]"
            + " [--label NAME] [--watch-pid PID [--clk-tck HZ]]");
    System.exit(2);
  }

  private void parse(String[] args) throws IOException {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (i + 1 >= args.length) {
        usage(a + " needs a value");
      }
      String v = args[++i];
      try {
        switch (a) {
          case "--url" -> url = URI.create(v);
          case "--body" -> body = Files.readAllBytes(Path.of(v));
          case "--header" -> {
            int colon = v.indexOf(':');
            if (colon < 1) {
              usage("--header wants 'Name: value'");
            }
            headers.add(new String[] {v.substring(0, colon).trim(), v.substring(colon + 1).trim()});
          }
          case "--concurrency" -> concurrency = Integer.parseInt(v);
          case "--warmup" -> warmup = Integer.parseInt(v);
          case "--requests" -> requests = Integer.parseInt(v);
          case "--max-seconds" -> maxSeconds = Double.parseDouble(v);
          case "--client" -> client = v;
          case "--unique" -> unique = v.getBytes(StandardCharsets.US_ASCII);
          case "--expect" -> expect = v.getBytes(StandardCharsets.UTF_8);
          case "--sample" -> sample = Path.of(v);
          case "--label" -> label = v.replaceAll("\\s", "_");
          case "--watch-pid" -> watchPid = Long.parseLong(v);
          case "--clk-tck" -> clkTck = Integer.parseInt(v);
          default -> usage("unknown argument " + a);
        }
      } catch (NumberFormatException e) {
        usage(a + ": not a number: " + v);
      }
    }
    if (url == null || body == null) {
      usage("--url and --body are required");
    }
    if (!"http".equals(url.getScheme()) || url.getPort() < 1) {
      usage("--url must be http://HOST:PORT/path");
    }
    String host = url.getHost();
    if (!(host.equals("127.0.0.1") || host.equals("localhost") || host.equals("[::1]"))) {
      usage("--url must point at loopback (127.0.0.1, [::1], localhost), not " + host);
    }
    if (concurrency < 1 || concurrency > 1024 || warmup < 0 || requests < 1 || maxSeconds <= 0) {
      usage("concurrency 1..1024, warmup >= 0, requests >= 1, max-seconds > 0");
    }
    if (!client.equals("socket") && !client.equals("httpcore")) {
      usage("--client socket|httpcore");
    }
    if (unique != null
        && (unique.length < 4 || unique.length > 16 || indexOf(body, unique, 0) < 0)) {
      usage("--unique TOKEN must be 4..16 characters long and occur in the body");
    }
  }

  // --- requests ----------------------------------------------------------------------------

  /** The request's headers: Host, then the --header ones (Content-Length comes per request). */
  private Header[] requestHead() {
    List<Header> out = new ArrayList<>();
    out.add(new BasicHeader("Host", url.getHost() + ":" + url.getPort()));
    for (String[] kv : headers) {
      out.add(new BasicHeader(kv[0], kv[1]));
    }
    return out.toArray(Header[]::new);
  }

  /** The bytes a socket client writes: request line, headers, body. */
  private byte[] rawRequest() {
    String path = url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    if (url.getRawQuery() != null) {
      path += "?" + url.getRawQuery();
    }
    StringBuilder h = new StringBuilder();
    h.append("POST ").append(path).append(" HTTP/1.1\r\n");
    h.append("Host: ").append(url.getHost()).append(':').append(url.getPort()).append("\r\n");
    for (String[] kv : headers) {
      h.append(kv[0]).append(": ").append(kv[1]).append("\r\n");
    }
    h.append("Content-Length: ").append(body.length).append("\r\n\r\n");
    byte[] head = h.toString().getBytes(StandardCharsets.ISO_8859_1);
    byte[] all = Arrays.copyOf(head, head.length + body.length);
    System.arraycopy(body, 0, all, head.length, body.length);
    return all;
  }

  /** The request (socket) or body (httpcore) template and where TOKEN sits in it. */
  private byte[] template;

  private int[] tokenAt = new int[0];
  private final AtomicLong sequence = new AtomicLong();

  private void prepare() {
    template = client.equals("socket") ? rawRequest() : body;
    if (unique != null) {
      List<Integer> at = new ArrayList<>();
      for (int i = indexOf(template, unique, 0); i >= 0; i = indexOf(template, unique, i + 1)) {
        at.add(i);
      }
      tokenAt = at.stream().mapToInt(Integer::intValue).toArray();
      // A random start, so two runs against the same server never send the same number.
      long span = unique.length >= 16 ? Long.MAX_VALUE : (1L << (4 * unique.length)) / 2;
      sequence.set(Math.floorMod(new SecureRandom().nextLong(), span));
    }
  }

  private byte[] next() {
    if (unique == null) {
      return template;
    }
    byte[] r = template.clone();
    String hex = Long.toHexString(sequence.getAndIncrement());
    int w = unique.length;
    if (hex.length() > w) {
      hex = hex.substring(hex.length() - w);
    }
    for (int at : tokenAt) {
      for (int k = 0; k < w; k++) {
        int from = k - (w - hex.length());
        r[at + k] = (byte) (from < 0 ? '0' : hex.charAt(from));
      }
    }
    return r;
  }

  private static int indexOf(byte[] hay, byte[] needle, int from) {
    outer:
    for (int i = Math.max(0, from); i <= hay.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  // --- clients -----------------------------------------------------------------------------

  /**
   * HTTP/1.1 over one keep-alive socket; reconnects after an error or Connection: close. Reads
   * through its own buffer (no per-byte locking) and sets no SO_TIMEOUT (which costs a poll per
   * read): the run's watchdog closes the socket of a request that hangs.
   */
  static final class SocketClient implements Client {
    private final String host;
    private final int port;
    private volatile Socket socket;
    private InputStream in;
    private OutputStream out;
    private final byte[] buf = new byte[16384];
    private int pos;
    private int lim;

    SocketClient(String host, int port) {
      this.host = host.equals("[::1]") ? "::1" : host;
      this.port = port;
    }

    @Override
    public Answer send(byte[] request) throws IOException {
      if (socket == null) {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.connect(new InetSocketAddress(host, port), TIMEOUT_MS);
        in = s.getInputStream();
        out = s.getOutputStream();
        pos = lim = 0;
        socket = s;
      }
      try {
        out.write(request);
        return read();
      } catch (IOException | RuntimeException e) {
        close();
        throw e;
      }
    }

    private Answer read() throws IOException {
      String status = line();
      if (!status.startsWith("HTTP/1.") || status.length() < 12) {
        throw new IOException("not an HTTP answer: " + status);
      }
      int code = Integer.parseInt(status.substring(9, 12));
      long length = -1;
      boolean chunked = false;
      boolean closing = status.startsWith("HTTP/1.0");
      for (String h = line(); !h.isEmpty(); h = line()) {
        int colon = h.indexOf(':');
        if (colon < 0) {
          continue;
        }
        String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        String value = h.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
        switch (name) {
          case "content-length" -> length = Long.parseLong(value);
          case "transfer-encoding" -> chunked = value.contains("chunked");
          case "connection" ->
              closing = value.contains("close") || (closing && !value.contains("keep-alive"));
          default -> {}
        }
      }
      ByteArrayOutputStream b = new ByteArrayOutputStream(512);
      if (code == 204 || code == 304 || code / 100 == 1) {
        // no body
      } else if (chunked) {
        while (true) {
          String size = line();
          int semi = size.indexOf(';');
          int n = Integer.parseInt((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
          if (n == 0) {
            while (!line().isEmpty()) {
              // trailers
            }
            break;
          }
          copy(n, b);
          if (!line().isEmpty()) {
            throw new IOException("chunk not followed by CRLF");
          }
        }
      } else if (length >= 0) {
        copy(length, b);
      } else {
        while (fill()) { // until the server closes
          b.write(buf, pos, lim - pos);
          pos = lim;
        }
        closing = true;
      }
      if (closing) {
        close();
      }
      return new Answer(code, b.toByteArray());
    }

    /** Reads more into the buffer when it is used up; false at the end of the stream. */
    private boolean fill() throws IOException {
      if (pos < lim) {
        return true;
      }
      int r = in.read(buf, 0, buf.length);
      if (r < 0) {
        return false;
      }
      pos = 0;
      lim = r;
      return true;
    }

    private void copy(long n, ByteArrayOutputStream to) throws IOException {
      while (n > 0) {
        if (!fill()) {
          throw new IOException("connection closed in the body");
        }
        int take = (int) Math.min(n, lim - pos);
        to.write(buf, pos, take);
        pos += take;
        n -= take;
      }
    }

    private String line() throws IOException {
      StringBuilder s = null;
      while (true) {
        if (!fill()) {
          throw new IOException("connection closed");
        }
        int start = pos;
        while (pos < lim && buf[pos] != '\n') {
          pos++;
        }
        int end = pos;
        boolean done = pos < lim;
        if (done) {
          pos++; // the LF
        }
        if (s == null && done) {
          if (end > start && buf[end - 1] == '\r') {
            end--;
          }
          return new String(buf, start, end - start, StandardCharsets.ISO_8859_1);
        }
        if (s == null) {
          s = new StringBuilder(128);
        }
        s.append(new String(buf, start, end - start, StandardCharsets.ISO_8859_1));
        if (s.length() > 16384) {
          throw new IOException("header line too long");
        }
        if (done) {
          int len = s.length();
          if (len > 0 && s.charAt(len - 1) == '\r') {
            s.setLength(len - 1);
          }
          return s.toString();
        }
      }
    }

    @Override
    public void close() {
      Socket s = socket;
      socket = null;
      if (s != null) {
        try {
          s.close();
        } catch (IOException ignored) {
          // closing anyway
        }
      }
    }
  }

  /**
   * Apache HttpCore 5's classic HTTP/1.1 client connection ({@code DefaultBHttpClientConnection},
   * the layer under Apache HttpClient 5, whose classes are in holdfast's jar), one keep-alive
   * connection per worker, driven by HttpCore's request executor and standard client protocol
   * (Host, Content-Length, Connection, User-Agent); it reconnects after an error or when the answer
   * does not keep the connection alive. No pool, retries or redirects: what it sends and reads is
   * the request and the answer. It sets no SO_TIMEOUT (which costs a poll per read): the run's
   * watchdog closes the connection of a request that hangs.
   */
  final class CoreClient implements Client {
    /** Buffers large enough that request head and body leave in one write, as one segment. */
    private static final Http1Config HTTP1 =
        Http1Config.custom().setBufferSize(65536).setChunkSizeHint(65536).build();

    private final HttpHost target = new HttpHost("http", url.getHost(), url.getPort());
    private final String path =
        (url.getRawPath().isEmpty() ? "/" : url.getRawPath())
            + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
    private final Header[] head = requestHead();
    private final ConnectionReuseStrategy reuse = DefaultConnectionReuseStrategy.INSTANCE;
    private final HttpCoreContext context = HttpCoreContext.create();
    private volatile DefaultBHttpClientConnection connection;

    @Override
    public Answer send(byte[] requestBody) throws IOException {
      DefaultBHttpClientConnection c = connection;
      if (c == null || !c.isOpen()) {
        Socket socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(
            new InetSocketAddress(url.getHost().replace("[", "").replace("]", ""), url.getPort()),
            TIMEOUT_MS);
        c = new DefaultBHttpClientConnection(HTTP1);
        c.bind(socket);
        connection = c;
      }
      BasicClassicHttpRequest request = new BasicClassicHttpRequest("POST", target, path);
      request.setHeaders(head);
      request.setHeader("Content-Length", Integer.toString(requestBody.length));
      request.setEntity(new ByteArrayEntity(requestBody, null));
      try {
        c.sendRequestHeader(request);
        c.sendRequestEntity(request);
        c.flush();
        ClassicHttpResponse response = c.receiveResponseHeader();
        c.receiveResponseEntity(response);
        HttpEntity entity = response.getEntity();
        byte[] body = entity == null ? new byte[0] : EntityUtils.toByteArray(entity);
        if (!reuse.keepAlive(request, response, context)) {
          c.close();
        }
        return new Answer(response.getCode(), body);
      } catch (IOException | HttpException | RuntimeException e) {
        close();
        throw e instanceof IOException io ? io : new IOException(e);
      }
    }

    @Override
    public void close() {
      DefaultBHttpClientConnection c = connection;
      if (c != null) {
        c.close(CloseMode.IMMEDIATE);
      }
    }
  }

  // --- the run -----------------------------------------------------------------------------

  private final Map<String, LongAdder> statuses = new ConcurrentHashMap<>();
  private final LongAdder errors = new LongAdder();
  private final LongAdder warmupErrors = new LongAdder();
  private final LongAdder unexpected = new LongAdder();
  private final AtomicReference<String> firstProblem = new AtomicReference<>();
  private final AtomicReference<Answer> lastAnswer = new AtomicReference<>();

  private void run() throws Exception {
    prepare();
    long[] latency = new long[requests];
    AtomicInteger warmIndex = new AtomicInteger();
    AtomicInteger index = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    long[] window = new long[2]; // measured start, deadline (set by the barrier)
    AtomicLong end = new AtomicLong();
    long capNs = (long) (maxSeconds * 1e9);
    long warmDeadline = System.nanoTime() + capNs;
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long[] cpu = new long[1];
    long[] server = new long[1];
    long[] startMs = new long[1];
    long[] host = new long[1];
    CyclicBarrier start =
        new CyclicBarrier(
            concurrency,
            () -> {
              startMs[0] = System.currentTimeMillis();
              server[0] = pidTicks();
              host[0] = hostBusyTicks();
              cpu[0] = os.getProcessCpuTime();
              window[0] = System.nanoTime();
              window[1] = window[0] + capNs;
            });
    List<Thread> workers = new ArrayList<>();
    List<Client> clients = new ArrayList<>();
    for (int w = 0; w < concurrency; w++) {
      clients.add(
          client.equals("socket")
              ? new SocketClient(url.getHost(), url.getPort())
              : new CoreClient());
    }
    // A request that hangs past both caps (plus a grace) gets its connection closed: the worker
    // sees an error and the run ends, bounded, as invalid.
    Thread watchdog =
        new Thread(
            () -> {
              try {
                Thread.sleep((long) (2 * maxSeconds * 1000) + 2 * TIMEOUT_MS);
              } catch (InterruptedException e) {
                return;
              }
              problem("watchdog: requests still hanging after both time caps; connections closed");
              clients.forEach(Client::close);
            },
            "watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
    for (int w = 0; w < concurrency; w++) {
      Client client = clients.get(w);
      Thread t =
          new Thread(
              () -> {
                try (Client c = client) {
                  while (warmIndex.getAndIncrement() < warmup && System.nanoTime() < warmDeadline) {
                    one(c, true);
                  }
                  try {
                    start.await();
                  } catch (BrokenBarrierException e) {
                    return;
                  }
                  long deadline = window[1];
                  while (true) {
                    int i = index.getAndIncrement();
                    if (i >= requests || System.nanoTime() >= deadline) {
                      break;
                    }
                    long t0 = System.nanoTime();
                    one(c, false);
                    latency[done.getAndIncrement()] = System.nanoTime() - t0;
                  }
                  end.accumulateAndGet(System.nanoTime(), Math::max);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "load-" + w);
      t.start();
      workers.add(t);
    }
    for (Thread t : workers) {
      t.join();
    }
    watchdog.interrupt();
    long cpuNs = os.getProcessCpuTime() - cpu[0];
    long endMs = System.currentTimeMillis();
    long serverMs = watchPid < 0 ? -1 : (pidTicks() - server[0]) * 1000 / clkTck;
    long hostMs = watchPid < 0 ? -1 : (hostBusyTicks() - host[0]) * 1000 / clkTck;
    int n = done.get();
    double seconds = (end.get() - window[0]) / 1e9;
    long[] sorted = Arrays.copyOf(latency, n);
    Arrays.sort(sorted);
    boolean complete = n == requests;
    StringBuilder st = new StringBuilder();
    new TreeMap<>(statuses)
        .forEach(
            (k, v) -> st.append(st.length() == 0 ? "" : ",").append(k).append(':').append(v.sum()));
    long err = errors.sum();
    long unexp = unexpected.sum();
    boolean valid = complete && err == 0 && unexp == 0 && n > 0;
    System.out.printf(
        Locale.ROOT,
        "HOOKLOAD label=%s client=%s concurrency=%d warmup=%d requests=%d wanted=%d complete=%d"
            + " errors=%d unexpected=%d seconds=%.3f rps=%.1f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f"
            + " max_ms=%.3f statuses=%s warmup_errors=%d client_cpu_ms=%d server_cpu_ms=%d"
            + " host_cpu_ms=%d start_ms=%d end_ms=%d valid=%d%n",
        label,
        client,
        concurrency,
        warmup,
        n,
        requests,
        complete ? 1 : 0,
        err,
        unexp,
        seconds,
        n / seconds,
        pct(sorted, 50),
        pct(sorted, 90),
        pct(sorted, 99),
        n == 0 ? 0.0 : sorted[n - 1] / 1e6,
        st.length() == 0 ? "-" : st,
        warmupErrors.sum(),
        cpuNs / 1_000_000,
        serverMs,
        hostMs,
        startMs[0],
        endMs,
        valid ? 1 : 0);
    if (sample != null && lastAnswer.get() != null) {
      Answer a = lastAnswer.get();
      ByteArrayOutputStream s = new ByteArrayOutputStream();
      s.write(("status " + a.status() + "\n").getBytes(StandardCharsets.US_ASCII));
      s.write(a.body());
      Files.write(sample, s.toByteArray());
    }
    if (!valid) {
      System.err.printf(
          "HookLoad: INVALID run (%s): %d of %d measured requests done, %d errors, %d unexpected"
              + " answers%s%n",
          label,
          n,
          requests,
          err,
          unexp,
          firstProblem.get() == null ? "" : "; first problem: " + firstProblem.get());
      System.exit(1);
    }
  }

  /** utime + stime of the watched process, in clock ticks; 0 when unknown. */
  private long pidTicks() {
    if (watchPid < 0) {
      return 0;
    }
    try {
      String stat = Files.readString(Path.of("/proc/" + watchPid + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15 of proc(5)
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /** Busy clock ticks of all CPUs (all but idle and iowait), from /proc/stat. */
  private long hostBusyTicks() {
    if (watchPid < 0) {
      return 0;
    }
    try (var lines = Files.lines(Path.of("/proc/stat"))) {
      String[] f = lines.findFirst().orElse("").trim().split("\\s+");
      long busy = 0;
      for (int i = 1; i < f.length && i <= 7; i++) { // user nice system (idle iowait) irq softirq
        if (i != 4 && i != 5) {
          busy += Long.parseLong(f[i]);
        }
      }
      return busy;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /** Nearest-rank percentile, in ms. */
  private static double pct(long[] sorted, int p) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, rank - 1)] / 1e6;
  }

  private void one(Client c, boolean warm) throws InterruptedException {
    String key;
    boolean ok;
    Answer a = null;
    try {
      a = c.send(next());
      key = String.valueOf(a.status());
      ok = a.status() / 100 == 2;
      if (!ok) {
        problem("status " + a.status() + ": " + clip(a.body()));
      } else if (expect != null && indexOf(a.body(), expect, 0) < 0) {
        // Measured: counted apart from errors (the status was fine). Warm-up: a warm-up error.
        ok = !warm;
        if (!warm) {
          unexpected.increment();
        }
        problem("answer without the expected text: " + clip(a.body()));
      }
    } catch (IOException | RuntimeException e) {
      key = "exception";
      ok = false;
      problem(e.toString());
    }
    if (warm) {
      if (!ok) {
        warmupErrors.increment();
      }
      return;
    }
    statuses.computeIfAbsent(key, k -> new LongAdder()).increment();
    if (!ok) {
      errors.increment();
    } else {
      lastAnswer.set(a);
    }
  }

  private void problem(String what) {
    firstProblem.compareAndSet(null, what);
  }

  private static String clip(byte[] b) {
    String s = new String(b, 0, Math.min(b.length, 300), StandardCharsets.UTF_8);
    return s.replaceAll("\\s+", " ");
  }

  public static void main(String[] args) throws Exception {
    HookLoad load = new HookLoad();
    load.parse(args);
    load.run();
  }
}
