package io.cairn.deploy.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** The endpoints the probes and ServiceMonitors call exist: each service has Quarkus' health and Prometheus extensions. */
class ServiceEndpointsTest {

    @Test
    void everyServiceServesHealthAndPrometheusMetrics() throws Exception {
        for (String service : ServiceConfig.SERVICES) {
            String pom = Files.readString(Project.root().resolve(service).resolve("pom.xml"));

            assertThat(pom).as(service + ": /q/health/{started,ready,live}")
                    .contains("<artifactId>quarkus-smallrye-health</artifactId>");
            assertThat(pom).as(service + ": /q/metrics")
                    .contains("<artifactId>quarkus-micrometer-registry-prometheus</artifactId>");
        }
    }
}
