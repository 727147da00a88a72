import ArgumentParser
import EGovPlatform
import EGovServer
import Foundation
import PublicServices

struct BenchDataCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-data",
        abstract: "Fill the database with a year of generated dossiers, for benchmarks (never on a real installation).")

    @OptionGroup var global: GlobalOptions
    @ArgumentParser.Option(help: "How many dossiers to generate.") var dossiers = 100_000
    @ArgumentParser.Option(help: "Locality pack to load into an empty database (default: packs/demo).") var pack: String?
    @ArgumentParser.Option(help: "Write a sample of the generated codes here, one per line (for lookup benchmarks).") var codes: String?

    func run() async throws {
        guard dossiers > 0 else { throw ValidationError("--dossiers must be positive") }
        var configuration = global.configuration()
        configuration.initialPack = pack.map { URL(fileURLWithPath: $0) } ?? AppRunner.findDemoPack()
        let summary = try await AppRunner.withApp(configuration) { app in
            _ = try await InstallationSetup(services: app.egov).run(on: app.db, logger: app.logger)
            let started = Date()
            return try await BenchData.generate(dossiers: dossiers, services: app.egov, on: app.db) { written, total in
                let rate = Double(written) / max(0.001, Date().timeIntervalSince(started))
                FileHandle.standardError.write(Data(String(format: "\r  dossiers %d / %d  (%d%%)  %.0f/s ", written, total,
                                                           written * 100 / max(1, total), rate).utf8))
            }
        }
        say("")
        say(String(format: "generated %d dossiers in %.1f s", summary.dossiers, summary.seconds))
        if let codes {
            try summary.sampleCodes.joined(separator: "\n").appending("\n").write(toFile: codes, atomically: true, encoding: .utf8)
            say("\(summary.sampleCodes.count) sample codes written to \(codes)")
        }
    }
}
