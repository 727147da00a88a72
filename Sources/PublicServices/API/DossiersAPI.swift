import EGovCore
import EGovPlatform
import EGovWeb
import Fluent
import SQLKit
import Vapor

/// The dossier API: submit, read, list, queue, actions, files and public tracking.
struct DossiersAPI: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let dossiers = routes.grouped("dossiers")
        // Attachments travel as base64 inside JSON: up to 10 MB per file by default, several files. Who
        // sends them is checked first (route middleware runs before the body is collected), so a
        // stranger cannot make the server buffer 80 MB.
        let signedIn = dossiers.grouped(RequirePrincipal())
        signedIn.on(.POST, body: .collect(maxSize: "80mb"), use: submit)
        dossiers.get(use: list)
        dossiers.get(":code", use: show)
        dossiers.get(":code", "actions", use: actions)
        signedIn.on(.POST, ":code", "actions", ":action", body: .collect(maxSize: "80mb"), use: take)
        dossiers.get(":code", "files", ":file", use: file)
        routes.get("queue", use: queue)
        routes.get("public", "dossiers", ":code", use: publicStatus)
        routes.get("me", "files", use: myFiles)
        // Large papers go here first, as raw bytes streamed to disk, then into a dossier as `storedFileId`.
        routes.grouped(RequirePrincipal()).on(.POST, "me", "files", body: .stream, use: uploadFile)
        routes.get("me", "files", ":file", use: myFile)
    }

    func submit(_ req: Request) async throws -> Response {
        let principal = try req.principal()
        let input = try req.content.decode(SubmissionInput.self)
        let submitted = try await DossierSubmission(services: req.egov).submit(Submission(input), by: principal,
                                                                                clientAddress: req.clientAddress, on: req.db)
        // Answered with what was just written: no second read of the process, the files or the history.
        let dto = try await detail(submitted.dossier, req, definition: submitted.definition, written: submitted.written)
        let response = try await dto.encodeResponse(status: .created, for: req)
        response.headers.replaceOrAdd(name: .location, value: "/api/v1/dossiers/\(submitted.dossier.code)")
        return response
    }

    func show(_ req: Request) async throws -> DossierDTO {
        let dossier = try await DossierActions(services: req.egov, db: req.db).readable(req.parameters.get("code") ?? "", by: try req.principal())
        return try await detail(dossier, req)
    }

    func detail(_ dossier: DossierModel, _ req: Request, definition known: ProcessDefinition? = nil,
                written: DossierDTO.Written? = nil) async throws -> DossierDTO {
        let now = req.egov.clock.now()
        let definition = if let known { known } else { try await CatalogueStore.process(dossier.processID, on: req.db) }
        return try await DossierDTO.make(dossier, definition: definition,
                                         services: req.egov, calendar: try await req.egov.calendars.calendar(on: req.db, now: now),
                                         now: now, language: req.language, written: written, on: req.db)
    }

    func actions(_ req: Request) async throws -> PageDTO<ActionDTO> {
        let principal = try req.principal()
        let service = DossierActions(services: req.egov, db: req.db)
        let dossier = try await service.readable(req.parameters.get("code") ?? "", by: principal)
        let items = try await service.actions(on: dossier, for: principal).map(ActionDTO.init)
        return PageDTO(items: items, total: items.count)
    }

    func take(_ req: Request) async throws -> DossierDTO {
        let principal = try req.principal()
        let input = req.body.data == nil ? ActionInput() : try req.content.decode(ActionInput.self)
        let dossier = try await DossierActions(services: req.egov, db: req.db)
            .take(req.parameters.get("action") ?? "", on: req.parameters.get("code") ?? "", by: principal,
                  clientAddress: req.clientAddress,
                  input: .init(note: input.note, assignee: input.assignee, unit: input.unit,
                               attachments: (input.attachments ?? []).map(\.incoming),
                               pins: ResultSigning.PINs(officer: input.signingPin, seal: input.sealPin)))
        return try await detail(dossier, req)
    }

    func file(_ req: Request) async throws -> Response {
        let dossier = try await DossierActions(services: req.egov, db: req.db).readable(req.parameters.get("code") ?? "", by: try req.principal())
        guard let id = req.parameters.get("file").flatMap(UUID.init(uuidString:)),
              let file = try await DossierFileModel.query(on: req.db).filter(\.$id == id).filter(\.$dossierID == dossier.requireID()).first()
        else { throw EGovError.notFound(LocalizedText(vi: "Không có tệp này trong hồ sơ.", en: "No such file in this dossier.")) }
        return try Self.download(sha256: file.sha256, name: file.name, contentType: file.contentType, req)
    }

    static func download(sha256: String, name: String, contentType: String, _ req: Request) throws -> Response {
        FileDownload.response(.init(data: try req.egov.files.read(sha256: sha256)), name: name, contentType: contentType)
    }

    func list(_ req: Request) async throws -> PageDTO<DossierSummaryDTO> {
        let principal = try req.principal()
        let paging = try Paging(req)
        let now = req.egov.clock.now()
        let calendar = try await req.egov.calendars.calendar(on: req.db, now: now)
        let query = DossierModel.query(on: req.db)
        if principal.kind == .applicant {
            query.filter(\.$applicantID == principal.id).sort(\.$submittedAt, .descending)
        } else {
            var scopes = DossierAccess.readScopes(principal)
            if let code = req.query[String.self, at: "unit"], !code.isEmpty {
                let unit = try await req.unit(code: code)
                guard CasePolicy.serves(principal, OneStopPermission.dossiersRead, unitPath: unit.path) else {
                    throw EGovError.forbiddenBecause(LocalizedText(vi: "Bạn không được xem hồ sơ của đơn vị “\(code)”.",
                                                                   en: "You may not see the dossiers of unit “\(code)”."))
                }
                scopes = [unit.path]
            }
            query.filter(case: CasePredicates.within(scopes)).sortByUrgency().sort(\.$submittedAt)
        }
        if let raw = req.query[String.self, at: "status"], !raw.isEmpty {
            guard DossierStatus(rawValue: raw) != nil else {
                throw EGovError.validation([ValidationError(field: "status", vi: "Trạng thái “\(raw)” không hợp lệ.", en: "Unknown status “\(raw)”.")])
            }
            query.filter(\.$status == raw)
        }
        if let raw = req.query[String.self, at: "deadline"], !raw.isEmpty {
            guard let filter = CasePredicates.DeadlineFilter(rawValue: raw) else {
                throw EGovError.validation([ValidationError(field: "deadline", vi: "“deadline” phải là on-time, at-risk hoặc late.",
                                                            en: "“deadline” must be on-time, at-risk or late.")])
            }
            query.filter(case: CasePredicates.deadline(filter, now: now, calendar: calendar))
        }
        if let procedure = req.query[String.self, at: "procedure"], !procedure.isEmpty { query.filter(\.$procedureCode == procedure) }
        let total = try await query.count()
        let items = try await query.range(paging.range).all()
        return PageDTO(items: items.map { DossierSummaryDTO($0, now: now, calendar: calendar, language: req.language) }, total: total)
    }

    func queue(_ req: Request) async throws -> PageDTO<DossierSummaryDTO> {
        let principal = try req.principal()
        guard principal.kind == .officer else { throw EGovError.forbidden }
        let paging = try Paging(req)
        let now = req.egov.clock.now()
        let calendar = try await req.egov.calendars.calendar(on: req.db, now: now)
        let (items, total) = try await CaseQueue.page(DossierModel.self, on: req.db, for: principal, then: DossierModel.queueOrder, paging: paging)
        return PageDTO(items: items.map { DossierSummaryDTO($0, now: now, calendar: calendar, language: req.language) }, total: total)
    }

    /// One indexed read by the unique code, with the stored text of the dossier's process (for its step's name),
    /// read as a row rather than as models (issue 15).
    func publicStatus(_ req: Request) async throws -> PublicDossierDTO {
        let code = (req.parameters.get("code") ?? "").trimmingCharacters(in: .whitespaces)
        guard let sql = req.db as? any SQLDatabase else { throw EGovError.forbidden }
        let module = PublicServicesModule.moduleID
        guard let row = try await sql.raw("""
            SELECT d.status, d.due_at, d.process_id, d.step_id, d.procedure_name, d.received_at, d.finished_at, p.definition
            FROM \(ident: DossierModel.schema) d LEFT JOIN \(ident: ProcessStore.table) p
                ON p.module = \(bind: module) AND p.process_id = d.process_id
            WHERE d.code = \(bind: code)
            """).first() else { throw DossierActions.notFound(code) }
        let status = try row.decode(column: "status", as: String.self)
        let stepID = try row.decode(column: "step_id", as: String.self)
        let definition = try row.decode(column: "definition", as: String?.self)
        let process = try definition.map {
            try ProcessStore.process(module: module, processID: try row.decode(column: "process_id", as: String.self), definition: $0)
        }
        return PublicDossierDTO(code: code, status: status,
                                statusName: DossierStatus(rawValue: status)?.label.text(req.language) ?? status,
                                dueAt: try row.decode(column: "due_at", as: Date?.self), currentStep: process?.step(stepID)?.name ?? stepID,
                                procedureName: try row.decode(column: "procedure_name", as: String.self),
                                receivedAt: try row.decode(column: "received_at", as: Date?.self),
                                finishedAt: try row.decode(column: "finished_at", as: Date?.self))
    }

    struct PersonalFileDTO: Content {
        let id: UUID
        let name: String
        let label: String
        let kind: String
        let contentType: String
        let size: Int
        let componentId: String?
        let source: String
        let usedAt: Date
    }

    func myFiles(_ req: Request) async throws -> PageDTO<PersonalFileDTO> {
        let principal = try req.principal()
        let paging = try Paging(req)
        let query = PersonalFileModel.query(on: req.db).filter(\.$ownerID == principal.id)
        if let kind = req.query[String.self, at: "kind"], !kind.isEmpty { query.filter(\.$kind == kind) }
        if let component = req.query[String.self, at: "component"], !component.isEmpty { query.filter(\.$componentID == component) }
        let total = try await query.count()
        let files = try await query.sort(\.$usedAt, .descending).range(paging.range).all()
        return PageDTO(items: try files.map {
            PersonalFileDTO(id: try $0.requireID(), name: $0.name, label: $0.label, kind: $0.kind, contentType: $0.contentType, size: $0.size,
                            componentId: $0.componentID, source: $0.source, usedAt: $0.usedAt)
        }, total: total)
    }

    /// `POST /api/v1/me/files?fileName=…&component=…`: one file (the raw request body, up to
    /// `EGOV_MAX_UPLOAD_MB`) into the applicant's e-data store, streamed to disk and checked like an
    /// attachment (name, size, first bytes); 201 with its id, for `storedFileId` in a dossier.
    func uploadFile(_ req: Request) async throws -> Response {
        let principal = try req.principal()
        guard principal.kind == .applicant else {
            throw EGovError.forbiddenBecause(LocalizedText(vi: "Chỉ công dân, doanh nghiệp có kho dữ liệu điện tử.",
                                                           en: "Only citizens and businesses have an e-data store."))
        }
        let name = (req.query[String.self, at: "fileName"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            .precomposedStringWithCanonicalMapping
        guard FileTypes.isValidName(name) else {
            throw EGovError.validation([ValidationError(field: "fileName", vi: "Vui lòng gửi tên tệp hợp lệ (“fileName”).",
                                                        en: "Please send a valid file name (“fileName”).")])
        }
        let component = req.query[String.self, at: "component"].flatMap { $0.isEmpty || $0.count > 100 ? nil : $0 }
        let limit = req.egov.configuration.maxUploadBytes
        let received: (file: SpooledFile, directory: URL)
        do {
            received = try await UploadSpool.receiveFile(req, filesRoot: req.egov.files.root, maxBytes: limit, fileName: name,
                                                         contentType: req.headers.contentType?.serialize())
        } catch UploadSpool.SpoolError.tooLarge {
            throw EGovError.payloadTooLarge(maxBytes: limit)
        }
        defer { try? FileManager.default.removeItem(at: received.directory) }
        if let problem = DossierFiles.check(name: name, size: received.file.size, head: received.file.head, component: nil, limit: limit) {
            throw EGovError.validation([ValidationError(field: "file", message: problem)])
        }
        let (sha, created) = try req.egov.files.adopt(received.file)
        let contentType = DossierFiles.contentType(name: name, declared: nil)
        let now = req.egov.clock.now()
        let upload = [StoredUpload(componentID: component, name: name, contentType: contentType, size: received.file.size, sha256: sha,
                                   created: created)]
        let kept = try await upload.discardingOnFailure(req.egov.files, on: req.db) {
            try await req.db.transaction { tx in
                let stored = try await FileStore.record(sha256: sha, size: received.file.size, name: name, contentType: contentType, on: tx)
                return try await PersonalDataStore.keep(owner: principal.userID, file: stored, kind: .submitted, label: name, source: "upload",
                                                        componentID: component, at: now, on: tx)
            }
        }
        let dto = PersonalFileDTO(id: try kept.requireID(), name: kept.name, label: kept.label, kind: kept.kind, contentType: kept.contentType,
                                  size: kept.size, componentId: kept.componentID, source: kept.source, usedAt: kept.usedAt)
        return try await dto.encodeResponse(status: .created, for: req)
    }

    func myFile(_ req: Request) async throws -> Response {
        let principal = try req.principal()
        guard let id = req.parameters.get("file").flatMap(UUID.init(uuidString:)),
              let file = try await PersonalDataStore.file(id, owner: principal.userID, on: req.db) else {
            throw EGovError.notFound(LocalizedText(vi: "Không có tệp này trong kho dữ liệu của bạn.", en: "No such file in your e-data store."))
        }
        return try Self.download(sha256: file.sha256, name: file.name, contentType: file.contentType, req)
    }
}
