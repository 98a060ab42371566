import { csvLine, UTF8_BOM } from '../sdm/report-csv.js';
import { GROUP_LABELS, type ThreadRow } from './history.js';

// The messages view as CSV (RFC 4180, CRLF, UTF-8 with BOM), like the report's: labels for people, then the
// raw values for tools in their own columns; a cell a spreadsheet would run as a formula is neutralised.

export const MESSAGES_COLUMNS = [
  'Customer',
  'Type',
  'Request',
  'Incident',
  'Title',
  'State',
  'Last activity (UTC)',
  'Unread by you',
  'customerId',
  'type',
  'state',
] as const;

/** The whole file for one viewer (the "unread" column is theirs). */
export function messagesCsv(rows: readonly ThreadRow[]): string {
  const lines = [
    csvLine(MESSAGES_COLUMNS),
    ...rows.map((r) =>
      csvLine([
        r.customerName,
        GROUP_LABELS[r.group],
        r.requestId,
        r.incidentId,
        r.title,
        r.state,
        r.lastActivityAt,
        r.unread ? 'Yes' : 'No',
        r.customerId,
        r.group,
        r.stateRaw,
      ]),
    ),
  ];
  return `${UTF8_BOM}${lines.join('\r\n')}\r\n`;
}
