import type { NotesFileFormat } from '$lib/facilitator-api';

/** The notes formats as offered to a facilitator, most useful first. */
export const NOTES_FORMAT_CHOICES: { format: NotesFileFormat; label: string }[] = [
  { format: 'docx', label: 'Word document (.docx)' },
  { format: 'html', label: 'Printable web page (.html)' },
  { format: 'md', label: 'Plain text, Markdown (.md)' },
  { format: 'csv', label: 'Spreadsheet, CSV (.csv)' },
  { format: 'json', label: 'Data for re-importing, JSON (.json)' }
];
