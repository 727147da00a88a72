import EGovCore
import EGovPlatform
import EGovWeb
import Fluent
import Foundation
import Vapor

/// What a drafter sends for a new outgoing document (`POST /api/v1/documents`), bounded where it is read.
struct DraftInput: Content {
    static let maxSubject = 1000
    static let maxBody = 200_000
    static let maxRecipients = 100

    var type: String
    var subject: String
    var body: String?
    var recipientCodes: [String]
    var urgency: String?
    var confidentiality: String?
    /// The drafting unit, when the drafter drafts at more than one.
    var unit: String?
    var attachments: [AttachmentInput]?
    /// An issued document of the same issuing body this one replaces (recalled when this one is issued).
    var replaces: UUID?
    /// The drafting template it starts from (`GET /api/v1/document-templates`): its type, and its body when none is given.
    var template: String?

    struct AttachmentInput: Content {
        var fileName: String
        var contentType: String?
        var contentBase64: String
    }
}

/// The action ids the module itself gives a meaning to (the rest is the pack's process).
enum DocumentAction {
    /// Gives an incoming document its arrival number (a scan's details with it).
    static let register = "register"
    /// Refuses an incoming document at registration (status 02 to its sender).
    static let refuse = "refuse"
    /// Names the lead handler and co-handlers and may set the deadline.
    static let assign = "assign"
    /// The lead handler's progress note, and closing with the result.
    static let report = "report", complete = "complete"
    /// Recalling an issued document (its issuing body) and the recipient clerk's answer (statuses 15 and 16).
    static let recall = "recall", acceptRecall = "accept-recall", refuseRecall = "refuse-recall"
    /// The sender's update of an incoming document (edXML BussinessDocType 2), and the clerk's answers.
    static let update = "update", acceptUpdate = "accept-update", refuseUpdate = "refuse-update"
    /// The lead handler passes the document to another handler of the unit.
    static let forward = "forward"
    /// The leader sends an incoming document on to other bodies of the installation (`recipientCodes`).
    static let sendOn = "send-on"

    /// The actions that name handlers (`assignees`: the lead first, then co-handlers) and watchers.
    static func namesHandlers(_ id: String) -> Bool { id == assign || id == forward }
}

/// Drafting and moving outgoing documents: the module's own checks, then the platform's case runtime.
struct DocumentDrafting {
    let services: PlatformServices
    let db: any Database

    static let notFound = EGovError.notFound(LocalizedText(vi: "Không tìm thấy văn bản.", en: "No such document."))

    /// The document named in the path, when the caller may read it (its drafter, whoever holds its step, who reads
    /// documents where it is drafted or issued, or who follows it: `DocumentAccess`); 404 to everybody else, for reads
    /// and actions alike.
    static func readable(_ req: Request) async throws -> DocumentModel {
        let principal = try req.principal()
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)),
              let document = try await DocumentModel.find(id, on: req.db) else { throw notFound }
        guard try await DocumentAccess.mayRead(principal, document, on: req.db) else { throw notFound }
        return document
    }

    static func process(_ id: String, on db: any Database) async throws -> ProcessDefinition {
        guard let process = try await ProcessStore.process(id, module: DocumentsModule.moduleID, on: db) else {
            throw EGovError.unavailable(LocalizedText(vi: "Địa phương chưa cấu hình quy trình văn bản “\(id)”.",
                                                      en: "This locality has not configured the document process “\(id)”."))
        }
        return process
    }

    /// What `principal` may do with `document` now, each action id once (one action per id in a step).
    static func actions(on document: DocumentModel, for principal: Principal, in process: ProcessDefinition) throws -> [ProcessDefinition.Action] {
        var seen = Set<String>()
        return ProcessEngine.actions(for: CasePolicy.actor(principal, for: document), in: process, state: try document.caseState())
            .filter { seen.insert($0.id).inserted }
    }

    func runtime(sealing: ResultSigning? = nil) async throws -> CaseRuntime<DocumentHooks> {
        try await DocumentHooks.runtime(services: services, sealing: sealing, on: db)
    }

    /// Checks `input`, finds the drafting unit and the body that will issue the document, and opens the draft
    /// at the first step of the outgoing process.
    func draft(_ input: DraftInput, by principal: Principal, clientAddress: String?) async throws -> DocumentModel {
        var input = input
        if let id = input.template {
            guard let template = try await DocumentTemplateModel.named(id, on: db) else {
                throw DocumentFields.invalid("template", "Không có mẫu văn bản “\(id.prefix(60))”.", "No template “\(id.prefix(60))”.")
            }
            guard template.typeID == input.type else {
                throw DocumentFields.invalid("template", "Mẫu “\(template.name)” dành cho loại văn bản “\(template.typeID)”.",
                                             "Template “\(template.name)” is for the document type “\(template.typeID)”.")
            }
            if (input.body ?? "").isEmpty { input.body = template.body }
        }
        let subject = try DocumentFields.subject(input.subject)
        input.body = try DocumentFields.body(input.body)
        let recipients = input.recipientCodes.map { $0.trimmingCharacters(in: .whitespaces) }
        guard !recipients.isEmpty, recipients.count <= DraftInput.maxRecipients, recipients.allSatisfy(ElectronicCode.isValid),
              Set(recipients).count == recipients.count else {
            throw DocumentFields.invalid("recipientCodes", "Nơi nhận: 1 đến \(DraftInput.maxRecipients) mã định danh điện tử khác nhau, dạng 000.00.00.H99.",
                               "Recipients: 1 to \(DraftInput.maxRecipients) distinct electronic identifier codes such as 000.00.00.H99.")
        }
        let urgency = try DocumentFields.urgency(input.urgency)
        let confidentiality = try DocumentFields.confidentiality(input.confidentiality)
        try await DocumentFields.type(input.type, on: db)
        let unit = try await draftingUnit(input.unit, of: principal)
        let issuer = try await issuer(of: unit)
        let process = try await Self.process(try await IssuerModel.find(issuer.code, on: db)?.outgoingProcess ?? DocumentsModule.outgoingProcess,
                                             on: db)
        let replaces = try await DocumentRecall.replaceable(input.replaces, issuer: issuer.code, by: principal, on: db)
        let runtime = try await runtime()

        // The attachments are checked and stored last, once nothing else can refuse the draft.
        let stored = try DocumentFiles.store((input.attachments ?? []).map {
            DocumentFiles.Incoming(fileName: $0.fileName, contentType: $0.contentType, contentBase64: $0.contentBase64)
        }, limit: services.configuration.maxUploadBytes, files: services.files)

        let document = DocumentModel()
        document.id = UUID()
        (document.direction, document.processID, document.typeID) = (DocumentModel.Direction.outgoing.rawValue, process.id, input.type)
        (document.subject, document.body) = (subject, input.body.flatMap { $0.isEmpty ? nil : $0 })
        (document.urgency, document.confidentiality) = (urgency.rawValue, confidentiality.rawValue)
        document.recipientCodes = recipients.joined(separator: "\n")
        (document.draftingUnitCode, document.receivingUnitPath) = (unit.code, unit.path)
        (document.issuerCode, document.competentUnitPath) = (issuer.code, issuer.path)
        (document.drafterID, document.createdAt, document.replacesID) = (principal.id, runtime.now, replaces)
        document.refreshSearchText()
        do {
            try await db.transaction { tx in
                let event = try await runtime.open(document, in: process, actionID: "draft", actionName: "Tạo dự thảo",
                                                   by: ActingParty(principal: principal, clientAddress: clientAddress), files: stored.map(\.name),
                                                   auditUnitCode: unit.code, auditSummary: String(subject.prefix(200)), on: tx)
                try await DocumentFiles.record(stored, on: document, seq: event.seq, at: runtime.now, on: tx)
            }
        } catch {
            await services.files.discard(stored.filter(\.created).map(\.sha256), on: db)
            throw error
        }
        return document
    }

    /// The unit the draft is written at: the one named, where the drafter may draft, or the first where they may.
    private func draftingUnit(_ code: String?, of principal: Principal) async throws -> UnitModel {
        let scopes = CasePolicy.servedScopes(principal, for: DocumentsModule.draft)
        guard !scopes.isEmpty else { throw EGovError.forbidden }
        if let code {
            guard code.count <= 40, let unit = try await UnitModel.query(on: db).filter(\.$code == code).first(),
                  scopes.contains(where: { unit.path.hasPrefix($0) }) else {
                throw DocumentFields.invalid("unit", "Bạn không soạn thảo văn bản tại đơn vị “\(code.prefix(40))”.", "You do not draft documents at unit “\(code.prefix(40))”.")
            }
            return unit
        }
        guard let grant = CasePolicy.grants(principal, with: DocumentsModule.draft).first,
              let unit = try await UnitModel.find(grant.unitID, on: db) else { throw EGovError.forbidden }
        return unit
    }

    /// The body that issues what `unit` drafts: the nearest unit at or above it that issues in its own name
    /// (`issues: true` in `issuers.yaml`).
    private func issuer(of unit: UnitModel) async throws -> UnitModel {
        let ancestors = CaseHolders.ancestors(of: unit.path)
        let units = try await UnitModel.query(on: db).filter(\.$path ~~ ancestors).all()
        let issuing = Set(try await IssuerModel.query(on: db).filter(\.$issues == true).filter(\.$id ~~ units.map(\.code)).all().compactMap(\.id))
        guard let issuer = units.filter({ issuing.contains($0.code) }).max(by: { $0.path.count < $1.path.count }) else {
            throw EGovError.conflict(ValidationError(field: "unit",
                vi: "Chưa có cơ quan ban hành nào (issues: true trong issuers.yaml) ở đơn vị \(unit.code) hoặc đơn vị cấp trên.",
                en: "No issuing body (issues: true in issuers.yaml) at unit \(unit.code) or above it."))
        }
        return issuer
    }

    /// A digitised document (a scan) is registered with what the clerk reads from the paper: its type, subject,
    /// sender and notation (`details`), checked as a paper registration's, written in the action's transaction;
    /// the same document already received by the unit is refused. Details go with that registration only.
    private func registerScan(_ document: DocumentModel, action: String, details input: PaperInput?) async throws {
        let isScanRegistration = document.registersScan(action)
        guard let input else {
            guard !isScanRegistration else {
                throw DocumentFields.invalid("details", "Vào sổ văn bản số hóa cần ghi loại, trích yếu, cơ quan gửi và số, ký hiệu của văn bản.",
                                             "Registering a digitised document needs its type, subject, sender, number and notation.")
            }
            return
        }
        guard isScanRegistration else {
            throw DocumentFields.invalid("details", "Chỉ ghi thông tin văn bản khi vào sổ văn bản số hóa.", "Details go with registering a digitised document only.")
        }
        let details = try await PaperRegistration.details(input, on: db)
        if let documentID = details.documentID, let existing = try await DocumentImport.received(documentID, at: document.draftingUnitCode, on: db),
           existing.id != document.id {
            throw DocumentImport.alreadyReceived(existing)
        }
        details.apply(to: document)
    }

    /// Takes `actionID` on `document` as `principal`: the engine's checks (404, 403, 409, 400), then one transaction.
    func take(_ actionID: String, on document: DocumentModel, input: ActionInput, by principal: Principal, clientAddress: String?) async throws {
        guard (input.note?.count ?? 0) <= CaseHistory.maxNote else {
            throw DocumentFields.invalid("note", "Ghi chú dài tối đa \(CaseHistory.maxNote) ký tự.", "A note is at most \(CaseHistory.maxNote) characters.")
        }
        guard actionID == DocumentAction.assign || input.dueAt == nil else {
            throw DocumentFields.invalid("dueAt", "Hạn xử lý chỉ dùng với thao tác assign.", "A due date goes with assign only.")
        }
        guard DocumentAction.namesHandlers(actionID) || (input.assignees == nil && input.watchers == nil) else {
            throw DocumentFields.invalid("assignees", "Người xử lý và người theo dõi chỉ dùng với thao tác assign hoặc forward.",
                                         "Assignees and watchers go with assign or forward only.")
        }
        guard actionID != DocumentAction.forward || !(input.assignees ?? []).isEmpty else {
            throw DocumentFields.invalid("assignees", "Chọn người nhận chuyển xử lý.", "Name the handler the document is forwarded to.")
        }
        guard actionID == DocumentAction.sendOn || input.recipientCodes == nil else {
            throw DocumentFields.invalid("recipientCodes", "Đơn vị nhận chỉ dùng với thao tác send-on.", "recipientCodes go with send-on only.")
        }
        let process = try await Self.process(document.processID, on: db)
        let runtime = try await runtime()
        let action = try runtime.check(String(actionID.prefix(60)), by: principal, note: input.note, on: document, definition: process)
        // Sending on names the bodies it goes to, checked once the caller may take it.
        let sendTo = action.id == DocumentAction.sendOn ? try await Self.sendOnUnits(input.recipientCodes ?? [], from: document, on: db) : []
        // An update of an issued document says what it changes.
        let isUpdate = action.id == DocumentAction.update && document.direction == DocumentModel.Direction.outgoing.rawValue
        guard isUpdate || input.changes == nil else {
            throw DocumentFields.invalid("changes", "Nội dung cập nhật chỉ dùng với thao tác update.", "changes go with update only.")
        }
        let changes = isUpdate ? try Self.changes(input.changes) : nil
        try await registerScan(document, action: action.id, details: input.details)
        // An assignment names the lead handler first (the case's assignee), then co-handlers, and may set the deadline.
        let assignees = input.assignees ?? []
        guard assignees.count <= 20, Set(assignees).count == assignees.count else {
            throw DocumentFields.invalid("assignees", "Tối đa 20 người xử lý, không lặp lại.", "At most 20 distinct assignees.")
        }
        // Nobody named at assignment: the unit's default handler, when the pack names one.
        var leadName = assignees.first
        if leadName == nil, actionID == DocumentAction.assign {
            leadName = try await IssuerModel.find(document.draftingUnitCode, on: db)?.defaultHandler
        }
        let lead = try await runtime.checkAssignee(leadName, for: action, record: document, definition: process, on: db)
        // Co-handlers and watchers follow the document (`DocumentAccess`); any active officer may be named.
        let watchers = input.watchers ?? []
        guard watchers.count <= 20, Set(watchers).count == watchers.count else {
            throw DocumentFields.invalid("watchers", "Tối đa 20 người theo dõi, không lặp lại.", "At most 20 distinct watchers.")
        }
        func officer(_ username: String, field: String) async throws -> UUID {
            guard username.count <= 100, let user = try await UserModel.query(on: db).filter(\.$username == username).first(), user.isActive,
                  user.kind == UserModel.Kind.officer.rawValue else {
                throw DocumentFields.invalid(field, "Không có cán bộ “\(username.prefix(100))”.", "No officer “\(username.prefix(100))”.")
            }
            return try user.requireID()
        }
        var participants: [(user: UUID, role: String)] = []
        for username in assignees.dropFirst() { participants.append((try await officer(username, field: "assignees"), "co-handler")) }
        for username in watchers { participants.append((try await officer(username, field: "watchers"), "watcher")) }
        if let dueAt = input.dueAt {
            guard dueAt > runtime.now, dueAt < runtime.now.addingTimeInterval(366 * 86_400) else {
                throw DocumentFields.invalid("dueAt", "Hạn xử lý phải sau lúc này và trong vòng một năm.", "The due date must be after now and within a year.")
            }
        }
        // An action that signs (the leader's approval) signs the document's PDFs before its transaction; the signed
        // versions become the current ones in it. Issuance seals in its transaction, once the number is taken, so
        // the seal's stamp and the edXML message carry it (`DocumentIssuance.issue`).
        var signed: (signed: [DocumentFiles.Stored], replacing: [DocumentFileModel]) = ([], [])
        var sealing: ResultSigning?
        var files: [String] = []
        if let signing = try await ResultSigning.prepare(action, by: principal, sealUnitCode: document.issuerCode,
                                                         pins: ResultSigning.PINs(officer: input.signingPin, seal: input.sealPin),
                                                         services: services, on: db) {
            if action.id == DocumentsModule.issue {
                // The seal's key is opened here, once: inside the issuing transaction a wrong PIN's count would roll back.
                sealing = try await signing.unlocked(on: db)
                files = try await DocumentFiles.currentPDFs(of: document, on: db).map(\.name)
            } else {
                signed = try await DocumentFiles.sign(document, with: signing, action: action, services: services, on: db)
                files = signed.signed.map(\.name)
            }
        }
        let acting = sealing == nil ? runtime : try await self.runtime(sealing: sealing)
        let now = acting.now
        do {
            try await acting.take(action, on: document, definition: process, terms: DocumentModel.terms,
                                   by: ActingParty(principal: principal, clientAddress: clientAddress), note: input.note, assignee: lead,
                                   dueAt: input.dueAt,
                                   files: files, attach: { [signed, participants, sendTo, changes, services] seq, tx in
                                       try await DocumentFiles.record(signed.signed, replacing: signed.replacing, on: document, seq: seq, at: now, on: tx)
                                       try await DocumentAccess.follow(document, participants, on: tx)
                                       if !sendTo.isEmpty { try await DocumentDelivery.sendOn(document, to: sendTo, services: services, at: now, on: tx) }
                                       if let changes {
                                           try await DocumentUpdates.send(document, changes: changes, reason: input.note ?? "", services: services,
                                                                          at: now, on: tx)
                                       }
                                   }, on: db)
        } catch {
            await services.files.discard(signed.signed.filter(\.created).map(\.sha256), on: db)
            throw error
        }
    }
}

extension DocumentDrafting {
    /// The bodies an incoming document is sent on to: 1 to 20 distinct bodies of this installation that receive
    /// documents, not its own, none of which has it already (sent on before, or received by another route).
    static func sendOnUnits(_ codes: [String], from document: DocumentModel, on db: any Database) async throws -> [UnitModel] {
        guard (1...20).contains(codes.count), Set(codes).count == codes.count, codes.allSatisfy({ $0.count <= 40 }) else {
            throw DocumentFields.invalid("recipientCodes", "Chọn 1 đến 20 đơn vị nhận khác nhau.", "Choose 1 to 20 distinct receiving bodies.")
        }
        let bodies = Dictionary(try await DocumentDelivery.receivingBodies(on: db).map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
        var units: [UnitModel] = []
        for code in codes {
            guard let unit = bodies[code], code != document.draftingUnitCode else {
                throw DocumentFields.invalid("recipientCodes", "“\(code.prefix(40))” không phải đơn vị nhận văn bản khác trong hệ thống.",
                                             "“\(code.prefix(40))” is not another receiving body of this installation.")
            }
            var existing = try await DocumentModel.query(on: db).filter(\.$sourceDocumentID == document.requireID())
                .filter(\.$draftingUnitCode == code).first()
            if existing == nil, let key = document.edXMLDocumentID { existing = try await DocumentImport.received(key, at: code, on: db) }
            if let existing {
                throw EGovError.conflict(ValidationError(field: "recipientCodes",
                    vi: "\(unit.name) đã nhận văn bản này (số đến \(existing.arrivalNumber.map(String.init) ?? "chưa vào sổ")).",
                    en: "\(unit.name) has already received this document (arrival number \(existing.arrivalNumber.map(String.init) ?? "not yet registered"))."))
            }
            units.append(unit)
        }
        return units
    }
}

extension DocumentDrafting {
    /// What an update of an issued document changes: a subject or a content, checked as a draft's are.
    static func changes(_ changes: DocumentChanges?) throws -> DocumentChanges {
        guard changes?.subject != nil || changes?.body != nil else {
            throw DocumentFields.invalid("changes", "Ghi trích yếu hoặc nội dung mới của văn bản.", "Give the document's new subject or content.")
        }
        return DocumentChanges(subject: try changes?.subject.map { try DocumentFields.subject($0, field: "changes.subject").precomposedStringWithCanonicalMapping },
                               body: try DocumentFields.body(changes?.body, field: "changes.body")?.precomposedStringWithCanonicalMapping)
    }
}
