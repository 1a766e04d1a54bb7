package io.cairn.backup.benchmark;

import io.cairn.testing.agent.AgentProcess;
import java.util.List;

/** CPU time and memory of backup-service and the agents at one moment; two of them give a run's cost. */
record ControlPlaneUsage(ProcessUsage service, List<ProcessUsage> agents) {

    static ControlPlaneUsage of(ControlPlane plane, List<AgentProcess> agents) {
        return new ControlPlaneUsage(ProcessUsage.of(plane.servicePid()),
                agents.stream().map(agent -> ProcessUsage.of(agent.pid())).toList());
    }

    /** Prints what the control plane spent since {@code before}, over {@code wallSeconds} and {@code backups}. */
    void printSince(ControlPlaneUsage before, String tag, double wallSeconds, long backups) {
        double serviceCpu = service.cpuSince(before.service);
        Figures.print("%s backup-service CPU %.2f s (%.1f%% of one core), peak RSS %d MiB (VmHWM since its start), RSS "
                + "now %d MiB", tag, serviceCpu, 100 * serviceCpu / wallSeconds, service.peakRssKib() >> 10,
                service.rssKib() >> 10);
        double agentCpu = 0;
        for (int i = 0; i < agents.size(); i++) {
            double cpu = agents.get(i).cpuSince(before.agents.get(i));
            agentCpu += cpu;
            Figures.print("%s agent %d CPU %.2f s, peak RSS %d MiB (VmHWM), RSS now %d MiB", tag, i, cpu,
                    agents.get(i).peakRssKib() >> 10, agents.get(i).rssKib() >> 10);
        }
        Figures.print("%s control plane CPU (service + %d agents) %.2f s = %.0f ms per backup", tag, agents.size(),
                serviceCpu + agentCpu, 1000 * (serviceCpu + agentCpu) / Math.max(1, backups));
    }
}
