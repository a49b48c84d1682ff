package dev.zonedev.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;

/** Runs the command in-process with captured stdout and stderr. */
final class Cli {
    record Result(int code, String out, String err) {
        JsonNode json() {
            try {
                return new ObjectMapper().readTree(out);
            } catch (Exception e) {
                throw new AssertionError("stdout is not JSON: " + out + "\nstderr: " + err, e);
            }
        }

        List<JsonNode> jsonLines() {
            ObjectMapper m = new ObjectMapper();
            return out.lines()
                    .filter(l -> !l.isBlank())
                    .map(
                            l -> {
                                try {
                                    return m.readTree(l);
                                } catch (Exception e) {
                                    throw new AssertionError("not a JSON line: " + l, e);
                                }
                            })
                    .toList();
        }

        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    private Cli() {}

    /** A root command whose default job is small, reports into {@code dir} and never stays. */
    static Zonedev root(Path dir) {
        Zonedev z = new Zonedev();
        z.defaultSize = "256M";
        z.defaultReport = dir.resolve("timeline.html");
        z.stay = (err, beans) -> {};
        return z;
    }

    static Result run(Zonedev root, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cl = Zonedev.commandLine(root);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    static Result run(Path dir, String... args) {
        return run(root(dir), args);
    }
}
