package dev.voxline.loadtest.overhead;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * The plain chain's JVM ({@link ChainProcess} starts it with the stack's JVM options): opens a
 * {@link PlainKafkaChain} on the broker named by the first argument ({@link ChainOptions} follow), says
 * {@code ready <value sizes>}, then answers each {@code probe} line on stdin with {@code probe <5 hop delays in ms>}
 * or {@code lost}, and {@code quit} with {@code done <background frames>}. Lines it writes start with
 * {@link #PREFIX}, so anything else on stdout is not mistaken for an answer.
 */
public final class ChainProbeServer {

    static final String PREFIX = "chain: ";
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);

    private ChainProbeServer() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
                StandardCharsets.UTF_8);
        ChainOptions options = ChainOptions.parse(Arrays.asList(args).subList(1, args.length));
        try (PlainKafkaChain chain = new PlainKafkaChain(args[0], options).open();
             BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            StringJoiner sizes = new StringJoiner(",");
            chain.hops().forEach(h -> sizes.add(Integer.toString(h.size())));
            out.println(PREFIX + "ready " + sizes);
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.equals("probe")) {
                    out.println(PREFIX + answer(chain.probe(PROBE_TIMEOUT)));
                } else if (line.equals("quit")) {
                    break;
                }
            }
            out.println(PREFIX + "done " + chain.background());
        }
        System.exit(0);
    }

    static String answer(double[] delays) {
        if (delays == null) {
            return "lost";
        }
        StringJoiner line = new StringJoiner(" ", "probe ", "");
        for (double d : delays) {
            line.add(String.format(Locale.ROOT, "%.3f", d));
        }
        return line.toString();
    }

    /** The hop delays of a {@code probe …} answer, null for {@code lost}. */
    static double[] parse(String answer) {
        if (answer.equals("lost")) {
            return null;
        }
        if (!answer.startsWith("probe ")) {
            throw new IllegalArgumentException("not a probe answer: " + answer);
        }
        List<String> fields = Arrays.asList(answer.substring("probe ".length()).trim().split("\\s+"));
        return fields.stream().mapToDouble(Double::parseDouble).toArray();
    }
}
