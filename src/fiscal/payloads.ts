/** The fiscal answers' schemas, shared by fiscal's routes and those of the contexts that issue documents. */
import { Type } from '@sinclair/typebox';
import { StringEnum } from '../platform/http/schemas.ts';
import { fiscalDocumentStatuses, fiscalPurposes } from './domain.ts';

const Id = Type.String({ format: 'uuid' });
export const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) =>
  Type.Union([t, Type.Null()]);
const Rejection = Nullable(Type.Object({ code: Type.Integer(), reason: Type.String() }));

export const FiscalEvent = Type.Object({
  id: Id,
  type: Type.String({
    description: 'tpEvento: 110111 the cancellation, 110110 the correction letter (CC-e)',
  }),
  kind: StringEnum(['cancellation', 'correction'] as const),
  sequence: Type.Integer({
    description: 'nSeqEvento: 1 for a cancellation, 1–20 for the CC-e of a document',
  }),
  status: StringEnum(['sending', 'registered', 'rejected'] as const),
  justification: Type.String({ description: 'xJust of a cancellation, xCorrecao of a CC-e (as `text`)' }),
  text: Type.String({ description: 'the justification or the correction, as sent' }),
  protocol: Nullable(Type.String()),
  rejection: Rejection,
  createdAt: Type.String({ format: 'date-time' }),
  registeredAt: Nullable(Type.String({ format: 'date-time' })),
});

export const FiscalDocument = Type.Object(
  {
    id: Id,
    model: Type.Integer({ description: '55 NF-e, 65 NFC-e' }),
    series: Type.Integer(),
    number: Type.Integer(),
    accessKey: Type.String({ description: 'chave de acesso, 44 characters' }),
    formattedAccessKey: Type.String({ description: 'the key in groups of four, as on the DANFE' }),
    status: StringEnum(fiscalDocumentStatuses),
    purpose: StringEnum(fiscalPurposes),
    reference: Type.Object({ type: Type.String(), id: Type.String() }),
    storeCode: Type.String(),
    protocol: Nullable(Type.String({ description: 'nProt of the authorisation (or of the denial)' })),
    authorisation: Nullable(
      Type.Object(
        { code: Type.Integer(), reason: Type.String() },
        { description: 'cStat and xMotivo of the authorisation: 100, or 150 when authorised late' },
      ),
    ),
    rejection: Rejection,
    authorisedAt: Nullable(Type.String({ format: 'date-time' })),
    cancelledAt: Nullable(Type.String({ format: 'date-time' })),
    contingency: Nullable(
      Type.Object(
        {
          at: Type.String({ format: 'date-time', description: 'dhCont' }),
          transmitBy: Type.String({ format: 'date-time', description: 'emission + 24 h' }),
          onlineAccessKey: Nullable(Type.String({ description: 'the key before contingency (tpEmis 1)' })),
        },
        { description: 'issued in offline contingency (tpEmis 9, NFC-e); null otherwise' },
      ),
    ),
    createdAt: Type.String({ format: 'date-time' }),
    signatureValid: Type.Boolean({ description: "the XML's signature verified on this read" }),
    xml: Type.String({ description: 'nfeProc once authorised (NFe + protNFe), the signed NFe before' }),
    events: Type.Array(FiscalEvent),
  },
  { $id: 'FiscalDocument' },
);

/** A document as an issuing answer names it. */
export const DocumentRef = Type.Object({
  id: Id,
  accessKey: Type.String(),
  status: StringEnum(fiscalDocumentStatuses),
});
