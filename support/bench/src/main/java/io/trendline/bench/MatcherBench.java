package io.trendline.bench;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** Runs {@link MatcherBenchmark} with JMH (one fork; in the smoke run, a few short iterations). */
final class MatcherBench {
  private MatcherBench() {}

  static Map<String, Object> run(Bench.Context ctx) throws Exception {
    OptionsBuilder options = new OptionsBuilder();
    options.include(MatcherBenchmark.class.getName() + "\\.");
    if (ctx.smoke) {
      options
          .forks(0)
          .warmupIterations(1)
          .warmupTime(TimeValue.milliseconds(200))
          .measurementIterations(2)
          .measurementTime(TimeValue.milliseconds(200));
    } else {
      options
          .forks(1)
          .warmupIterations(3)
          .warmupTime(TimeValue.seconds(2))
          .measurementIterations(5)
          .measurementTime(TimeValue.seconds(2));
    }
    options.jvmArgsAppend("-Xmx512m").shouldFailOnError(true);
    options.output(ctx.out.resolve("jmh.log").toString());
    Options built = options.build();
    Collection<RunResult> results = new Runner(built).run();
    Map<String, Object> out = new LinkedHashMap<>();
    for (RunResult r : results) {
      String label = r.getParams().getBenchmark();
      label = label.substring(label.lastIndexOf('.') + 1);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("opsPerSecond", (double) Math.round(r.getPrimaryResult().getScore()));
      double error = r.getPrimaryResult().getScoreError();
      m.put("error", Double.isNaN(error) ? null : (Object) (double) Math.round(error));
      out.put(label, m);
    }
    double substring = score(out, "substring");
    for (Object v : out.values()) {
      @SuppressWarnings("unchecked")
      Map<String, Object> m = (Map<String, Object>) v;
      m.put("ratioToSubstring", Stats.ratio((double) m.get("opsPerSecond"), substring));
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static double score(Map<String, Object> out, String name) {
    return (double) ((Map<String, Object>) out.get(name)).get("opsPerSecond");
  }
}
