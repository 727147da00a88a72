@preconcurrency import Plot
import EGovCore
import EGovPlatform
import EGovWeb
import Fluent
import Vapor

/// One document's page: what it is, its number and notation once issued, where it stands, each recipient's latest
/// status, its files (every version), its history, and the actions the visitor may take now, each a small form
/// that goes through the same `DocumentDrafting.take` as `POST /api/v1/documents/{id}/actions/{action}`.
struct DocumentPage: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(DocumentRoute.document(DocumentRoute.placeholder).pattern, use: show)
        routes.post(DocumentRoute.take(DocumentRoute.placeholder, "").pattern, use: act)
        routes.get(DocumentRoute.file(DocumentRoute.placeholder, DocumentRoute.placeholder).pattern, use: file)
    }

    /// Step id → step name over the module's processes, for lists.
    static func stepNames(on db: any Database) async throws -> [String: String] {
        var names: [String: String] = [:]
        for process in try await ProcessStore.list(module: DocumentsModule.moduleID, on: db) {
            for step in process.steps where names[step.id] == nil { names[step.id] = step.name }
        }
        return names
    }

    func show(_ req: Request) async throws -> Response {
        let document = try await DocumentDrafting.readable(req)
        let notice: LocalizedText? = switch req.query[String.self, at: "notice"] {
        case "drafted": DocumentText.drafted
        case "done": DocumentText.done
        default: nil
        }
        let ctx = try await PageContext.make(for: req)
        return try await render(req, ctx: ctx, document: document, notice: notice.map(ctx.t), problem: nil)
    }

    func render(_ req: Request, ctx: PageContext, document: DocumentModel, notice: String?, problem: String?,
                status: HTTPResponseStatus = .ok) async throws -> Response {
        let principal = try req.principal()
        let dto = try await DocumentDTO.make(document, on: req.db)
        let process = try await DocumentDrafting.process(document.processID, on: req.db)
        var forms: [Node<HTML.BodyContext>] = []
        for action in try DocumentDrafting.actions(on: document, for: principal, in: process) {
            forms.append(try await actionForm(ctx, req: req, document: document, action: action, process: process))
        }
        let now = req.egov.clock.now()
        let calendar = try await req.egov.calendars.calendar(on: req.db, now: now)
        let title = dto.notation ?? (dto.direction == DocumentModel.Direction.incoming.rawValue ? ctx.t(DocumentText.incoming) : ctx.t(DocumentText.outgoing))
        let box = dto.direction
        return Layout.page(ctx, title: title, crumbs: Widgets.crumbs(ctx, [
            .init(title: ctx.t(box == "incoming" ? DocumentText.incoming : DocumentText.outgoing), href: DocumentRoute.list(box: box, q: nil, page: 1).path),
        ], last: title), status: status, content: .group(
            .unwrap(notice) { Layout.notice($0) },
            .unwrap(problem) { .div(.class("error-summary"), .attribute(named: "role", value: "alert"), .p(.text($0))) },
            Self.summary(ctx, dto, deadline: document.deadlineStatus(at: now, calendar: calendar).rawValue, dueAt: document.dueAt,
                         assignee: document.assigneeName),
            .if(!forms.isEmpty, .section(.class("actions-panel"), .h2(.text(ctx.t(DocumentText.actions))), .group(forms))),
            Self.recipientsBlock(ctx, dto),
            Self.filesBlock(ctx, dto),
            Self.historyBlock(ctx, dto)))
    }

    static func summary(_ ctx: PageContext, _ dto: DocumentDTO, deadline: String, dueAt: Date?, assignee: String?) -> Node<HTML.BodyContext> {
        let incoming = dto.direction == DocumentModel.Direction.incoming.rawValue
        var rows: [(String, Node<HTML.BodyContext>)] = [
            (ctx.t(DocumentText.type), .text(dto.typeName)),
            (ctx.t(DocumentText.subject), .span(.id("document-subject"), .text(dto.subject))),
        ]
        if incoming {
            rows += [(ctx.t(DocumentText.sender), .text([dto.senderName, dto.senderCode].compactMap { $0 }.joined(separator: " · "))),
                     (ctx.t(DocumentText.senderNotation), .text(dto.senderNotation ?? "—")),
                     (ctx.t(DocumentText.arrivalNumber), .span(.id("arrival-number"), .text(dto.arrivalNumber.map(String.init) ?? "—")))]
        } else {
            rows += [(ctx.t(DocumentText.notation), .code(.id("document-notation"), .text(dto.notation ?? "—"))),
                     (ctx.t(DocumentText.draftingUnit), .text(dto.draftingUnit)),
                     (ctx.t(DocumentText.issuer), .text(dto.issuer)),
                     (ctx.t(DocumentText.issuedAt), .text(Widgets.date(dto.issuedAt)))]
        }
        rows += [
            (ctx.t(DocumentText.step), .strong(.id("document-status"), .attribute(named: "data-status", value: Esc.attr(dto.status)),
                                               .attribute(named: "data-step", value: Esc.attr(dto.step)), .text(dto.stepName))),
            (ctx.t(DocumentText.urgency), .text(DocumentUrgency(rawValue: dto.urgency).map { ctx.t($0.label) } ?? dto.urgency)),
            (ctx.t(DocumentText.confidentiality), .text(DocumentConfidentiality(rawValue: dto.confidentiality).map { ctx.t($0.label) } ?? dto.confidentiality)),
            (ctx.t(DocumentText.assignee), .text(assignee ?? "—")),
            (ctx.t(DocumentText.coHandlers), Self.people(dto, role: "co-handler", id: "co-handlers")),
            (ctx.t(DocumentText.watchers), Self.people(dto, role: "watcher", id: "watchers")),
            (ctx.t(DocumentText.dueAt), .text(Widgets.date(dueAt))),
            (ctx.t(DocumentText.deadline), Widgets.deadlineBadge(ctx, deadline)),
        ]
        if let replaces = dto.replaces {
            rows.append((ctx.t(DocumentText.replaces), .a(.href(Esc.attr(DocumentRoute.document(replaces).path)), .text(ctx.t(DocumentText.replacedDocument)))))
        }
        if let recall = dto.recall {
            let state = DocumentRecall.State(rawValue: recall.status).map { ctx.t($0.label) } ?? recall.status
            rows.append((ctx.t(DocumentText.recall), .span(.id("recall-status"), .attribute(named: "data-status", value: Esc.attr(recall.status)),
                                                            .text([state, recall.reason].compactMap { $0 }.joined(separator: ": ")))))
        }
        if let ocr = dto.ocr {
            let status = ScanIntake.OCRStatus(rawValue: ocr.status)
            let confidence = ocr.confidence.map { " (\(ctx.t(DocumentText.confidence)) \(Int(($0 * 100).rounded())) %)" } ?? ""
            rows.append((ctx.t(DocumentText.ocr), .span(.id("ocr-status"), .attribute(named: "data-status", value: Esc.attr(ocr.status)),
                                                        .text((status.map { ctx.t($0.label) } ?? ocr.status) + confidence))))
        }
        return .group(Widgets.facts(rows), .unwrap(dto.body) { .section(.class("document-body"), .p(.text($0))) },
                      .unwrap(dto.ocr?.text) { text in
                          .details(.class("ocr-text"), .summary(.text(ctx.t(DocumentText.ocrText))), .pre(.text(text)))
                      })
    }

    func actionForm(_ ctx: PageContext, req: Request, document: DocumentModel, action: ProcessDefinition.Action,
                    process: ProcessDefinition) async throws -> Node<HTML.BodyContext> {
        let formID = "action-\(action.id)"
        // An assignment (or a forwarding) names the lead handler and co-handlers among those who hold the next step.
        var candidates: [UserModel] = []
        if DocumentAction.namesHandlers(action.id), let holder = process.step(ProcessEngine.target(of: action, from: try document.caseState()))?.holder,
           !holder.applicant, let position = holder.position {
            candidates = try await CaseHolders.officers(holding: position, within: document.caseUnits.path(for: holder.unit), on: req.db)
        }
        let assigns = DocumentAction.namesHandlers(action.id)
        // Updating an issued document: its new subject or content, filled with the present ones.
        let updates = action.id == DocumentAction.update && document.direction == DocumentModel.Direction.outgoing.rawValue
        // Sending on: the other bodies of the installation, as checkboxes.
        let bodies = action.id == DocumentAction.sendOn
            ? try await DocumentDelivery.receivingBodies(on: req.db).filter { $0.code != document.draftingUnitCode } : []
        // A scan is registered with what the clerk reads from the paper.
        let describes = document.registersScan(action.id)
        let types = describes ? try await DocumentTypeModel.query(on: req.db).sort(\.$sortOrder).all() : []
        func text(_ name: String, _ label: LocalizedText, required: Bool) -> Node<HTML.FormContext> {
            .div(.class("field"),
                 .label(.for(Esc.attr("\(formID)-\(name)")), .text(ctx.t(label))),
                 .input(.type(.text), .name(Esc.attr(name)), .id(Esc.attr("\(formID)-\(name)")), .required(required),
                        .attribute(named: "maxlength", value: "300")))
        }
        let fields: Node<HTML.FormContext> = .group(
            Layout.csrfField(ctx),
            .if(describes, .group(
                Widgets.select(ctx, name: "type", label: DocumentText.type,
                               options: [("", ctx.t(DocumentText.chooseType))] + types.map { ($0.id ?? "", $0.name) }, selected: nil,
                               required: true, id: "\(formID)-type"),
                Widgets.textarea(ctx, name: "subject", label: DocumentText.subject, required: true, id: "\(formID)-subject"),
                text("senderName", DocumentText.sender, required: true),
                text("senderNotation", DocumentText.senderNotation, required: true),
                text("senderCode", DocumentText.senderCode, required: false),
                .div(.class("field"),
                     .label(.for(Esc.attr("\(formID)-documentDate")), .text(ctx.t(DocumentText.documentDate))),
                     .input(.type(.date), .name("documentDate"), .id(Esc.attr("\(formID)-documentDate")))),
                Widgets.select(ctx, name: "urgency", label: DocumentText.urgency,
                               options: DocumentUrgency.allCases.map { ($0.rawValue, ctx.t($0.label)) }, selected: nil,
                               id: "\(formID)-urgency"))),
            Widgets.textarea(ctx, name: "note", label: DocumentText.note, required: action.needsNote, id: "\(formID)-note"),
            .if(assigns, Widgets.select(ctx, name: "lead", label: DocumentText.leadHandler,
                                        options: [("", ctx.t(DocumentText.defaultHandler))] + candidates.map { ($0.username, $0.fullName) },
                                        selected: nil, id: "\(formID)-lead")),
            .if(assigns && candidates.count > 1, .fieldset(
                .element(named: "legend", text: ctx.t(DocumentText.coHandlers)),
                .forEach(candidates) { user in
                    .div(.class("check"),
                         .input(.type(.checkbox), .name("coHandlers[]"), .id(Esc.attr("\(formID)-co-\(user.username)")), .value(Esc.attr(user.username))),
                         .label(.for(Esc.attr("\(formID)-co-\(user.username)")), .text(user.fullName)))
                })),
            .if(updates, .group(
                Widgets.textarea(ctx, name: "newSubject", label: DocumentText.newSubject, value: document.subject, id: "\(formID)-subject"),
                Widgets.textarea(ctx, name: "newBody", label: DocumentText.newBody, value: document.body ?? "", id: "\(formID)-body"))),
            .if(!bodies.isEmpty, .fieldset(
                .element(named: "legend", text: ctx.t(DocumentText.sendOnTo)),
                .forEach(bodies) { unit in
                    .div(.class("check"),
                         .input(.type(.checkbox), .name("units[]"), .id(Esc.attr("\(formID)-unit-\(unit.code)")), .value(Esc.attr(unit.code))),
                         .label(.for(Esc.attr("\(formID)-unit-\(unit.code)")), .text(unit.name)))
                })),
            .if(action.id == DocumentAction.assign, .div(.class("field"),
                              .label(.for(Esc.attr("\(formID)-due")), .text(ctx.t(DocumentText.dueDate))),
                              .input(.type(.date), .name("dueDate"), .id(Esc.attr("\(formID)-due"))))),
            .if(action.sign.contains(.officer), .p(.class("hint"), .text(ctx.t(DocumentText.signsOfficer)))),
            .if(action.sign.contains(.seal), .p(.class("hint"), .text(ctx.t(DocumentText.signsSeal)))),
            .if(action.sign.contains(.officer), Widgets.pin(ctx, name: "signingPin", label: DocumentText.signingPin, id: "\(formID)-pin")),
            .if(action.sign.contains(.seal), Widgets.pin(ctx, name: "sealPin", label: DocumentText.sealPin, id: "\(formID)-seal-pin")),
            .button(.type(.submit), .id(Esc.attr("do-\(action.id)")), .text(action.name)))
        return .details(.class("action"), .attribute(named: "open", value: Esc.attr(action.needsNote ? nil : "open")),
                        .summary(.text(action.name)),
                        .form(.method(.post), .id(Esc.attr(formID)), .action(Esc.attr(DocumentRoute.take(try document.requireID(), action.id).path)),
                              .class("stack"), fields))
    }

    /// An action's form, as the page sends it.
    struct ActionForm: Content {
        var note: String?
        var lead: String?
        var coHandlers: [String]?
        var dueDate: String?
        var signingPin: String?
        var sealPin: String?
        // Registering a scan: what the paper says.
        var type: String?
        var subject: String?
        var senderName: String?
        var senderCode: String?
        var senderNotation: String?
        var documentDate: String?
        var urgency: String?
        /// Sending on: the bodies chosen.
        var units: [String]?
        /// Updating an issued document: the subject and content as the form now says (filled with the present ones).
        var newSubject: String?
        var newBody: String?

        /// The API's input: the lead handler first, then the co-handlers; the due day ends at its last second.
        func input(for action: String) throws -> ActionInput {
            var input = ActionInput(note: note?.isEmpty == true ? nil : note, signingPin: signingPin, sealPin: sealPin)
            if action == DocumentAction.register, let subject {
                input.details = PaperInput(type: type ?? "", subject: subject, senderName: senderName ?? "", senderCode: senderCode,
                                           senderNotation: senderNotation ?? "", documentDate: documentDate, urgency: urgency,
                                           confidentiality: nil, unit: nil, attachments: nil)
            }
            if action == DocumentAction.sendOn { input.recipientCodes = (units ?? []).filter { !$0.isEmpty } }
            if action == DocumentAction.update, newSubject != nil || newBody != nil {
                input.changes = DocumentChanges(subject: newSubject, body: newBody.flatMap { $0.isEmpty ? nil : $0 })
            }
            guard DocumentAction.namesHandlers(action) else { return input }
            let lead = lead.flatMap { $0.isEmpty ? nil : $0 }
            let others = (coHandlers ?? []).filter { $0 != lead && !$0.isEmpty }
            if lead != nil || !others.isEmpty {
                // Co-handlers without a lead: the unit's default handler leads (named by the take).
                input.assignees = (lead.map { [$0] } ?? []) + others
            }
            if let raw = dueDate, !raw.isEmpty {
                input.dueAt = WorkingDayCalendar().startOfDay(try DocumentFields.day(raw, field: "dueAt")).addingTimeInterval(86_399)
            }
            return input
        }
    }

    func act(_ req: Request) async throws -> Response {
        let document = try await DocumentDrafting.readable(req)
        let action = String((req.parameters.get("action") ?? "").prefix(60))
        let ctx = try await PageContext.make(for: req)
        do {
            let input = try req.content.decode(ActionForm.self).input(for: action)
            try await DocumentDrafting(services: req.egov, db: req.db)
                .take(action, on: document, input: input, by: try req.principal(), clientAddress: req.clientAddress)
            return req.redirect(to: DocumentRoute.document(try document.requireID()).path + "?notice=done")
        } catch let error as EGovError where [.badRequest, .conflict, .forbidden, .serviceUnavailable].contains(error.status) {
            // The page again as it is now (nothing moved), with the reason.
            let fresh = try await DocumentDrafting.readable(req)
            return try await render(req, ctx: ctx, document: fresh, notice: nil, problem: ctx.t(error.detail), status: error.status)
        }
    }

    func file(_ req: Request) async throws -> Response {
        let document = try await DocumentDrafting.readable(req)
        return try await DocumentFiles.download(req.parameters.get("file"), of: document, req)
    }

    /// The participants of `role`, by name, or a dash.
    static func people(_ dto: DocumentDTO, role: String, id: String) -> Node<HTML.BodyContext> {
        let names = dto.participants.filter { $0.role == role }.map(\.name)
        return .span(.id(Esc.attr(id)), .text(names.isEmpty ? "—" : names.joined(separator: ", ")))
    }

    static func recipientsBlock(_ ctx: PageContext, _ dto: DocumentDTO) -> Node<HTML.BodyContext> {
        // An issued document's recipients, or the bodies an incoming document was sent on to.
        guard !dto.recipientCodes.isEmpty, dto.direction == DocumentModel.Direction.outgoing.rawValue || !dto.recipients.isEmpty else { return .empty }
        let latest = Dictionary(dto.recipients.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
        return .section(.h2(.text(ctx.t(DocumentText.recipients))),
                        .table(.id("recipients"),
                               .thead(.tr(.th(.text(ctx.t(DocumentText.recipients))), .th(.text(ctx.t(DocumentText.recipientStatus))),
                                          .th(.text(ctx.t(DocumentText.updatedAt))))),
                               .tbody(.forEach(dto.recipientCodes) { code in
                                   let status = latest[code]
                                   return .tr(.attribute(named: "data-code", value: Esc.attr(code)),
                                              .attribute(named: "data-status-code", value: Esc.attr(status?.statusCode)),
                                              .td(.text(code)),
                                              .td(.text(status.map { DocumentDelivery.Status(rawValue: $0.statusCode).map { ctx.t($0.label) } ?? $0.statusCode } ?? "—")),
                                              .td(.text(Widgets.date(status?.updatedAt))))
                               })))
    }

    static func filesBlock(_ ctx: PageContext, _ dto: DocumentDTO) -> Node<HTML.BodyContext> {
        guard !dto.files.isEmpty else { return .empty }
        return .section(.h2(.text(ctx.t(DocumentText.files))),
                        .ul(.class("files"), .forEach(dto.files) { file in
                            .li(.attribute(named: "data-signed", value: Esc.attr(file.signed ? "true" : "false")),
                                .attribute(named: "data-current", value: Esc.attr(file.current ? "true" : "false")),
                                .a(.href(Esc.attr(DocumentRoute.file(dto.id, file.id).path)), .text(file.name)),
                                .text([file.signed ? ctx.t(DocumentText.signed) : nil, file.current ? nil : ctx.t(DocumentText.earlierVersion)]
                                    .compactMap { $0 }.map { " (\($0))" }.joined()),
                                .unwrap(file.verificationCode) { code in
                                    .span(.class("verification-code"), .text(" · \(ctx.t(Strings.verificationCode)): "),
                                          .a(.href(Esc.attr(VerificationCodes.link(code, publicURL: nil))), .text(code)))
                                })
                        }))
    }

    static func historyBlock(_ ctx: PageContext, _ dto: DocumentDTO) -> Node<HTML.BodyContext> {
        .section(.h2(.text(ctx.t(DocumentText.history))),
                 .table(.id("history"),
                        .thead(.tr(.th(.text(ctx.t(DocumentText.time))), .th(.text(ctx.t(DocumentText.action))),
                                   .th(.text(ctx.t(DocumentText.actor))), .th(.text(ctx.t(DocumentText.note))))),
                        .tbody(.forEach(dto.history.reversed()) { event in
                            .tr(.attribute(named: "data-action", value: Esc.attr(event.action)),
                                .td(.text(Widgets.date(event.at))), .td(.text(event.actionName)), .td(.text(event.actor)),
                                .td(.text(event.note ?? "")))
                        })))
    }
}
