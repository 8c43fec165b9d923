export * from './file-server';
export * from './file-location';
export * from './file-transfer';
export * from './attachment-pointer';
export * from './attachment-upload';
export * from './attachment-download';
export * from './content-type';
export * from './progress';
