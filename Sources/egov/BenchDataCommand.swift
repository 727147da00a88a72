import ArgumentParser
import EGovPlatform
import EGovServer
import Foundation

struct BenchDataCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-data",
        abstract: "Fill the database with a year of generated dossiers, for benchmarks (never on a real installation).")

    @OptionGroup var global: GlobalOptions
    @ArgumentParser.Option(help: "How many dossiers the database should hold: a run that was stopped is continued to this number.") var dossiers = 100_000
    @ArgumentParser.Option(help: "Generate this many official documents instead (the documents module's generator).") var documents: Int?
    @ArgumentParser.Option(help: "The module whose cases are generated (default: the first that has a generator).") var module: String?
    @ArgumentParser.Option(help: "Locality pack to load into an empty database (default: packs/demo).") var pack: String?
    @ArgumentParser.Option(help: "Write a sample of the generated codes here, one per line (for lookup benchmarks).") var codes: String?

    func run() async throws {
        let count = documents ?? dossiers
        guard (1...100_000_000).contains(count) else { throw ValidationError("--dossiers and --documents must be between 1 and 100000000") }
        let wanted = documents == nil ? module : "documents"
        let generators = BuiltInModules.all.compactMap { module in module.benchData().map { (module.id, $0) } }
        guard let (_, generator) = generators.first(where: { wanted == nil || $0.0 == wanted }) else {
            throw ValidationError("no module \(module.map { "“\($0)” " } ?? "")generates bench data (have: \(generators.map(\.0).joined(separator: ", ")))")
        }
        var configuration = global.configuration()
        configuration.initialPack = pack.map { URL(fileURLWithPath: $0) } ?? AppRunner.findDemoPack()
        let noun = generator.noun
        let summary = try await AppRunner.withApp(configuration) { app in
            _ = try await InstallationSetup(services: app.egov).run(on: app.db, logger: app.logger)
            let started = Date()
            return try await generator.generate(count, app.egov, app.db) { written, total in
                let rate = Double(written) / max(0.001, Date().timeIntervalSince(started))
                FileHandle.standardError.write(Data(("\r  \(noun) " + String(format: "%d / %d  (%d%%)  %.0f/s ", written, total,
                                                                                 written * 100 / max(1, total), rate)).utf8))
            }
        }
        say("")
        if summary.resumedFrom > 0 {
            say("\(summary.resumedFrom) \(noun) were already there (a run that was stopped): continued to \(count)")
        }
        say("generated \(summary.cases) \(noun) in " + String(format: "%.1f s", summary.seconds))
        if let codes {
            try summary.sampleCodes.joined(separator: "\n").appending("\n").write(toFile: codes, atomically: true, encoding: .utf8)
            say("\(summary.sampleCodes.count) sample codes written to \(codes)")
        }
    }
}
