import Fluent
import Vapor

/// The platform's own tables, in order. Modules add theirs through `EGovModule.migrations()`.
public enum PlatformMigrations {
    public static var all: [any Migration] {
        [M001_CreateUnits(), M002_CreateUsers(), M003_CreateAudit(), M004_CreateSettingsAndFiles(), SessionRecord.migration, M005_CreateCounters(),
         M006_CreateOutbox(), M007_CreatePersonalFiles(), M008_HardenIdentity(), M009_CreateProcesses(), M010_CreatePKI(), M011_CreateTrustedAuthorities(),
         M012_TimeStampAuditSeals(), M013_CreateVerificationCodes(), M014_CreateOutsideCRLs()]
    }
}
