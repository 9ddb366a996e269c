// Package workspacefiles reads the notebooks and their Python package from the repository, so the
// Compute component deploys exactly what is committed (a changed file is a Pulumi diff).
package workspacefiles

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// SourceFile is a repository file deployed to the workspace. It lives here, not in components, so this
// package depends on nothing above internal/.
type SourceFile struct {
	// Name is the path relative to its root: "bronze_to_silver" for a notebook (no extension),
	// "analytics_pipeline/transform.py" for a library file.
	Name    string
	Content []byte
}

// NotebookHeader starts every Databricks source-format notebook.
const NotebookHeader = "# Databricks notebook source"

// LibraryDir is the notebooks' importable package, relative to the notebooks folder.
const LibraryDir = "analytics_pipeline"

// Load reads dir (the repository's notebooks/ folder): every top-level *.py is a notebook and must start
// with the Databricks source header; every *.py and *.json file under LibraryDir is a library file.
func Load(dir string) (notebooks, library []SourceFile, err error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("reading notebooks: %w", err)
	}
	for _, e := range entries {
		if e.IsDir() || filepath.Ext(e.Name()) != ".py" {
			continue
		}
		content, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, nil, fmt.Errorf("reading notebook: %w", err)
		}
		if !bytes.HasPrefix(content, []byte(NotebookHeader)) {
			return nil, nil, fmt.Errorf("notebook %s does not start with %q", e.Name(), NotebookHeader)
		}
		notebooks = append(notebooks, SourceFile{Name: strings.TrimSuffix(e.Name(), ".py"), Content: content})
	}
	if len(notebooks) == 0 {
		return nil, nil, fmt.Errorf("no notebooks (*.py) in %s", dir)
	}
	libRoot := filepath.Join(dir, LibraryDir)
	err = filepath.WalkDir(libRoot, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if d.Name() == "__pycache__" {
				return filepath.SkipDir
			}
			return nil
		}
		if ext := filepath.Ext(path); ext != ".py" && ext != ".json" {
			return nil
		}
		content, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		library = append(library, SourceFile{Name: filepath.ToSlash(rel), Content: content})
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("reading the notebook library: %w", err)
	}
	sort.Slice(notebooks, func(i, j int) bool { return notebooks[i].Name < notebooks[j].Name })
	sort.Slice(library, func(i, j int) bool { return library[i].Name < library[j].Name })
	return notebooks, library, nil
}
