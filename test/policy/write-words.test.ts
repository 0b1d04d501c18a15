import { describe, expect, it } from 'vitest';
import { classifyToolName, splitToolName } from '../../src/policy/write-words.js';

describe('splitToolName', () => {
  it.each([
    ['delete_file', ['delete', 'file']],
    ['deleteFile', ['delete', 'file']],
    ['delete-file', ['delete', 'file']],
    ['HTTPPost', ['http', 'post']],
    ['executeSQLQuery', ['execute', 'sql', 'query']],
    ['s3.upload', ['s', '3', 'upload']],
    ['browser_file_upload', ['browser', 'file', 'upload']],
  ])('%s → %j', (name, words) => {
    expect(splitToolName(name)).toEqual(words);
  });
});

describe('classifyToolName', () => {
  it.each([
    // the reference servers' write tools
    'create_entities', 'add_observations', 'delete_relations', 'write_file', 'edit_file', 'move_file',
    'create_directory',
    // every style of writing a name
    'deleteFile', 'DeleteFile', 'delete-file', 'DELETE_FILE', 'file_delete', 'notes.remove',
    'execute_command', 'runScript', 'run_query', 'exec', 'sendEmail', 'post_message', 'git_push',
    'merge_pull_request', 'install_package', 'kill_process', 'grant_role', 'revoke_token',
    'drop_table', 'truncate_logs', 'alter_schema', 'purge_cache', 'destroy_vm', 'insert_rows',
    'update_issue', 'set_config', 'put_object', 'patch_resource', 'upload_file', 'publish_release',
    'deploy_app', 'rename_branch', 'browser_click', 'browser_type', 'browser_navigate',
    'browser_evaluate', 'archive_note',
    // single words without separators fall back to a prefix check
    'deletefile', 'createissue', 'executecommand', 'sendmessage',
    // look-alike letters (Cyrillic е) are never trusted to be a read
    'dеlete_file',
  ])('%s is a write', (name) => {
    expect(classifyToolName(name).isWrite).toBe(true);
  });

  it.each([
    'read_file', 'read_text_file', 'list_directory', 'directory_tree', 'search_files', 'get_file_info',
    'read_graph', 'search_nodes', 'open_nodes', 'list_allowed_directories', 'sequentialthinking',
    'getTinyImage', 'echo', 'get_post', 'list_updates', 'get_commit', 'list_merge_requests', 'get_run',
    'query', 'fetch', 'describe_table', 'address_lookup', 'settings', 'runtime_info',
  ])('%s is a read', (name) => {
    expect(classifyToolName(name).isWrite).toBe(false);
  });

  it('an unambiguous write word anywhere wins over a leading read verb', () => {
    expect(classifyToolName('get_and_delete').isWrite).toBe(true);
    expect(classifyToolName('read_then_drop_table').isWrite).toBe(true);
  });
});

describe('docs/policy.md', () => {
  it('lists every word the classifier uses', async () => {
    const { readFile } = await import('node:fs/promises');
    const docs = await readFile(new URL('../../docs/policy.md', import.meta.url), 'utf8');
    const { WRITE_VERBS, WRITE_NOUNS, AMBIGUOUS_WRITE_WORDS, READ_VERBS } = await import('../../src/policy/write-words.js');
    const missing = [...WRITE_VERBS, ...WRITE_NOUNS, ...AMBIGUOUS_WRITE_WORDS, ...READ_VERBS].filter((word) => !docs.includes(`\`${word}\``));
    expect(missing).toEqual([]);
  });
});
