// Renders a kustomization with the kustomize library (sigs.k8s.io/kustomize/api), as
// `kubectl kustomize` does, and decodes every object into its Kubernetes API type (k8s.io/api)
// strictly: an unknown or misspelt field, a duplicate key or a wrong type is an error. For the
// checks in test/deploy-kubernetes.test.ts; no kubectl or cluster needed.
// Usage: render <kustomization folder> (the YAML goes to stdout).
package main

import (
	"fmt"
	"os"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"
	"sigs.k8s.io/yaml"
)

// The API types the manifests may use, by apiVersion/kind.
var types = map[string]func() any{
	"v1/Namespace":                           func() any { return &corev1.Namespace{} },
	"v1/ConfigMap":                           func() any { return &corev1.ConfigMap{} },
	"v1/Secret":                              func() any { return &corev1.Secret{} },
	"v1/Service":                             func() any { return &corev1.Service{} },
	"apps/v1/Deployment":                     func() any { return &appsv1.Deployment{} },
	"autoscaling/v2/HorizontalPodAutoscaler": func() any { return &autoscalingv2.HorizontalPodAutoscaler{} },
	"policy/v1/PodDisruptionBudget":          func() any { return &policyv1.PodDisruptionBudget{} },
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: render <kustomization folder>")
		os.Exit(2)
	}
	resources, err := krusty.MakeKustomizer(krusty.MakeDefaultOptions()).Run(filesys.MakeFsOnDisk(), os.Args[1])
	if err != nil {
		fail(err)
	}
	for _, r := range resources.Resources() {
		name := r.GetKind() + "/" + r.GetName()
		newObject, known := types[r.GetApiVersion()+"/"+r.GetKind()]
		if !known {
			fail(fmt.Errorf("%s: no API type for %s %s here", name, r.GetApiVersion(), r.GetKind()))
		}
		text, err := r.AsYAML()
		if err != nil {
			fail(err)
		}
		if err := yaml.UnmarshalStrict(text, newObject()); err != nil {
			fail(fmt.Errorf("%s: %w", name, err))
		}
	}
	out, err := resources.AsYaml()
	if err != nil {
		fail(err)
	}
	os.Stdout.Write(out)
}
