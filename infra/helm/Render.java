// Renders a Helm chart with Helm's own engine (helm-java embeds it) and prints the manifests,
// as `helm template` would. Run as a single-file program (Java 17):
//   java -cp "$HELM_LIBS_DIR/*" infra/helm/Render.java <chart-dir> <release> <namespace> [-f values.yaml]... [--set key=value]...
// Exit 1 with Helm's message on stderr when the chart does not render.
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.nio.file.Path;
import java.nio.file.Paths;

public class Render {
  public static void main(String[] args) {
    if (args.length < 3) {
      System.err.println("usage: Render <chart-dir> <release> <namespace> [-f values.yaml]... [--set key=value]...");
      System.exit(2);
    }
    TemplateCommand cmd = new Helm(Paths.get(args[0])).template().withName(args[1]).withNamespace(args[2]);
    for (int i = 3; i < args.length; i++) {
      String flag = args[i];
      if (i + 1 >= args.length) fail("missing value after " + flag);
      String value = args[++i];
      if (flag.equals("-f")) {
        cmd = cmd.withValuesFile(Path.of(value));
      } else if (flag.equals("--set")) {
        int eq = value.indexOf('=');
        if (eq <= 0) fail("--set expects key=value, got '" + value + "'");
        cmd = cmd.set(value.substring(0, eq), value.substring(eq + 1));
      } else {
        fail("unknown argument '" + flag + "' (expected -f or --set)");
      }
    }
    try {
      System.out.print(cmd.call());
    } catch (RuntimeException e) {
      fail("helm template failed: " + e.getMessage());
    }
  }

  private static void fail(String message) {
    System.err.println(message);
    System.exit(1);
  }
}
