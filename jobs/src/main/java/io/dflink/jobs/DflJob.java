package io.dflink.jobs;

/**
 * The job's entry point under its first name, so that {@code flink run -c io.dflink.jobs.DflJob} in
 * existing scripts keeps working: the same as {@link FederationJob}, which runs every algorithm.
 */
@Deprecated
public final class DflJob {

    private DflJob() {}

    public static void main(String[] args) throws Exception {
        FederationJob.main(args);
    }
}
