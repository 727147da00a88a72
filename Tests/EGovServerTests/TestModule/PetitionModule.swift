@preconcurrency import Plot
import EGovCore
import EGovPlatform
import EGovWeb
import Fluent
import Foundation
import Vapor

/// A module that exists only in the tests: citizens' petitions, moved through a three-step process (pack
/// folder `Fixtures/modules/test-petitions`) by the platform's case runtime. Its table, its permission, its routes and one
/// page are all it has: no lock, history, holder, queue or deadline code of its own.
struct PetitionModule: EGovModule {
    static let moduleID = "test-petitions"
    static let read = Permission("test-petitions.read")
    /// A position of its own, without editing Core: who registers petitions.
    static let officer = Position("petitionOfficer")
    static let register: ActionID = "register", answer: ActionID = "answer"

    var id: String { Self.moduleID }
    var name: LocalizedText { LocalizedText(vi: "Kiến nghị (thử nghiệm)", en: "Petitions (test)") }
    func migrations() -> [any Migration] { [CreatePetitions()] }
    func positions() -> [ModulePosition] { [ModulePosition(Self.officer, label: LocalizedText(vi: "Cán bộ tiếp nhận kiến nghị", en: "Petition officer"))] }
    func permissions() -> [ModulePermission] { [ModulePermission(Self.read, grantedTo: [.leader])] }

    /// The process it ships (`Fixtures/modules/test-petitions`), also read from a pack's `modules/test-petitions/`.
    func processTemplates() -> [ProcessDefinition] { (try? Self.processes(in: PetitionModuleTests.folder)) ?? [] }

    static func processes(in directory: URL) throws -> [ProcessDefinition] {
        try ProcessReader.read(YAMLFile(directory: directory, name: "processes.yaml", required: true),
                               statuses: ["new", "handling", "answered"], actionIDs: [register.rawValue, answer.rawValue])
    }

    func importPack(from directory: URL, on database: any Database) async throws {
        guard FileManager.default.fileExists(atPath: directory.appendingPathComponent("processes.yaml").path) else { return }
        try await ProcessStore.replace(module: Self.moduleID, with: try Self.processes(in: directory), on: database)
    }

    func boot(_ app: Application, routes: ModuleRoutes) async throws {
        let api = routes.api.grouped(RequirePrincipal()).grouped("test-petitions")
        api.post(use: submit)
        api.get(use: list)
        api.get(":code", use: show)
        api.post(":code", "actions", ":action", use: act)
        routes.web.grouped(RequirePrincipal()).get("kien-nghi", ":code", use: page)
    }

    func openAPI() -> OpenAPIContribution {
        func op(_ names: String...) -> JSONValue {
            OA.operation("Kiến nghị (mô-đun thử nghiệm)", tag: "test", parameters: names.map { OA.pathParameter($0, $0) },
                         ok: (200, "OK", ["type": "object"]), errors: [400, 403, 404, 409])
        }
        return OpenAPIContribution(paths: ["/api/v1/test-petitions": ["get": op(), "post": op()], "/api/v1/test-petitions/{code}": ["get": op("code")],
                                           "/api/v1/test-petitions/{code}/actions/{action}": ["post": op("code", "action")]])
    }

    struct Submission: Content { let unit: String; let title: String }
    struct Action: Content { let note: String? }
    struct PetitionDTO: Content { let code, status, step, deadline: String; let history: Int }

    func runtime(_ req: Request) async throws -> CaseRuntime<PetitionHooks> {
        CaseRuntime(services: req.egov, calendar: try await req.egov.calendars.calendar(on: req.db, now: req.egov.clock.now()),
                    hooks: PetitionHooks(services: req.egov))
    }

    func process(_ db: any Database) async throws -> ProcessDefinition {
        guard let process = try await ProcessStore.process("petition", module: Self.moduleID, on: db) else { throw EGovError.forbidden }
        return process
    }

    func submit(_ req: Request) async throws -> PetitionDTO {
        let principal = try req.principal()
        let input = try req.content.decode(Submission.self)
        let unit = try await req.unit(code: input.unit)
        let (runtime, process) = (try await runtime(req), try await process(req.db))
        let petition = PetitionModel()
        petition.title = input.title
        petition.ownerID = principal.id
        (petition.unitCode, petition.receivingUnitPath, petition.competentUnitPath) = (unit.code, unit.path, unit.path)
        try await req.db.transaction { tx in
            petition.code = "KN-\(try await Counters.next("test-petitions", on: tx))"
            try await runtime.open(petition, in: process, actionID: "submit", actionName: "Gửi kiến nghị", by: ActingParty(principal: principal,
                                   clientAddress: nil), files: [], auditUnitCode: unit.code, auditSummary: input.title, on: tx)
        }
        return try await dto(petition, req)
    }

    func readable(_ req: Request) async throws -> PetitionModel {
        let code = req.parameters.get("code") ?? ""
        guard let petition = try await PetitionModel.query(on: req.db).filter(\.$code == code).first(),
              CasePolicy.canRead(try req.principal(), petition, readPermission: Self.read) else {
            throw EGovError.notFound(LocalizedText(vi: "Không tìm thấy kiến nghị “\(code)”.", en: "No petition “\(code)”."))
        }
        return petition
    }

    func show(_ req: Request) async throws -> PetitionDTO { try await dto(try await readable(req), req) }

    func act(_ req: Request) async throws -> PetitionDTO {
        let petition = try await readable(req)
        let note = try req.content.decode(Action.self).note
        let (runtime, process, principal) = (try await runtime(req), try await process(req.db), try req.principal())
        let action = try runtime.check(req.parameters.get("action") ?? "", by: principal, note: note, on: petition, definition: process)
        try await runtime.take(action, on: petition, definition: process, terms: PetitionModel.terms,
                               by: ActingParty(principal: principal, clientAddress: nil), note: note, on: req.db)
        return try await dto(petition, req)
    }

    /// The officer's queue, or with `deadline=` the late / at-risk / on-time petitions of the units they read.
    func list(_ req: Request) async throws -> [String] {
        let principal = try req.principal()
        let query = PetitionModel.query(on: req.db)
        if let raw = req.query[String.self, at: "deadline"] {
            guard let filter = CasePredicates.DeadlineFilter(rawValue: raw) else { throw EGovError.forbidden }
            let calendar = try await req.egov.calendars.calendar(on: req.db, now: req.egov.clock.now())
            query.filter(case: CasePredicates.within(CasePolicy.servedScopes(principal, for: Self.read)))
                .filter(case: CasePredicates.deadline(filter, now: req.egov.clock.now(), calendar: calendar))
        } else {
            query.filter(case: CasePredicates.queue(for: principal))
        }
        return try await query.sortByUrgency().all().map(\.code)
    }

    func dto(_ petition: PetitionModel, _ req: Request) async throws -> PetitionDTO {
        let calendar = try await req.egov.calendars.calendar(on: req.db, now: req.egov.clock.now())
        let history = try await CaseHistory.nextSeq(of: petition, on: req.db) - 1
        return PetitionDTO(code: petition.code, status: petition.status, step: petition.stepID,
                           deadline: petition.deadlineStatus(at: req.egov.clock.now(), calendar: calendar).rawValue, history: history)
    }

    func page(_ req: Request) async throws -> Response {
        let petition = try await readable(req)
        let ctx = try await PageContext.make(for: req)
        return Layout.page(ctx, title: petition.title, content: .main(.h1(.text(petition.title)),
                                                                      .p(.id("petition-status"), .text("\(petition.code): \(petition.status)"))))
    }
}

/// Tells the petitioner by e-mail after each action that names them, in the action's transaction.
struct PetitionHooks: CaseHooks {
    let services: PlatformServices

    func didApply(_ action: ProcessDefinition.Action, to petition: PetitionModel, event: CaseEvent, assignee: UserModel?,
                  on tx: any Database) async throws {
        guard action.notify.contains("applicant"), let owner = petition.ownerID,
              let email = try await UserModel.find(owner, on: tx)?.email else { return }
        try await Outbox.enqueue(.email, to: email, subject: "Kiến nghị \(petition.code): \(action.name)", body: event.note ?? action.name,
                                 reference: "petition:\(petition.code)", at: event.at, on: tx)
    }
}
