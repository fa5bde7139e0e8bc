package dev.platform.infra;

import dev.platform.topology.Topology;
import java.nio.file.Files;
import java.nio.file.Path;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;

/**
 * The CDK app. From the repository root, after {@code mvn -DskipTests install}:
 * {@code mvn -q -pl infra-cdk exec:java} writes the templates to {@code infra-cdk/cdk.out}; the CDK
 * CLI runs the same through {@code infra-cdk/cdk.json}. Settings come from CDK context (see
 * {@link PlatformSettings}).
 */
public final class PlatformApp {
    private PlatformApp() {
    }

    public static void main(String[] args) {
        Path root = repositoryRoot();
        // The CDK CLI names the output folder in CDK_OUTDIR, possibly relative to where it runs: infra-cdk,
        // next to cdk.json (this JVM may run elsewhere: ../dev changes to the repository root).
        // Run directly, the output goes to infra-cdk/cdk.out.
        String cliOutdir = System.getenv("CDK_OUTDIR");
        Path outdir = root.resolve("infra-cdk").resolve(cliOutdir == null ? "cdk.out" : cliOutdir);
        App app = new App(AppProps.builder().outdir(outdir.toString()).build());
        PlatformSettings settings = PlatformSettings.fromContext(app.getNode());
        Platform.build(app, settings, Topology.functions(), Artifacts.inRepository(root, Topology.functions()));
        app.synth();
    }

    /** {@code platform.root} (set by the Maven configuration), else the nearest folder holding infra-cdk/. */
    static Path repositoryRoot() {
        String configured = System.getProperty("platform.root");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("infra-cdk")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("cannot find the repository root from " + Path.of("").toAbsolutePath()
                + "; run from the repository or set -Dplatform.root=<path>");
    }
}
